package org.parley.libp2p.transport.webrtc;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.parley.libp2p.core.ConnectionClosedException;

/**
 * A native {@link RTCDataChannel} as a {@link ChannelPort}, and the observer that passes its events
 * to the {@link DataChannelStream} over it. The events arrive on WebRTC's threads; this copies each
 * message out of the native buffer (valid only during the call) and hands it on. Thread safe.
 */
final class NativeChannelPort implements ChannelPort, RTCDataChannelObserver {

    private final RTCDataChannel channel;
    private final CloseCompletionWatch closeWatch;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private volatile DataChannelStream stream;
    private volatile boolean closed;

    /**
     * @param channel the native channel
     * @param closeWatch told when we close the channel and when the close completes
     */
    NativeChannelPort(RTCDataChannel channel, CloseCompletionWatch closeWatch) {
        this.channel = channel;
        this.closeWatch = closeWatch;
    }

    /** Starts passing events to {@code target}; call before the channel can carry messages to it. */
    void bind(DataChannelStream target) {
        this.stream = target;
        channel.registerObserver(this);
        if (channel.getState() == RTCDataChannelState.OPEN) {
            opened.complete(null);
        }
    }

    /** Completes when the channel is open; fails if it closes first. */
    CompletableFuture<Void> opened() {
        return opened;
    }

    @Override
    public int id() {
        return channel.getId();
    }

    @Override
    public void send(byte[] message) throws IOException {
        if (closed) {
            throw new ConnectionClosedException("the data channel is closed");
        }
        try {
            channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(message), true));
        } catch (Exception e) {
            throw new ConnectionClosedException("the data channel refused a message: " + e.getMessage());
        }
    }

    @Override
    public long bufferedAmount() {
        return closed ? 0 : channel.getBufferedAmount();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeWatch.closeStarted();
            channel.close();
        }
    }

    @Override
    public void onBufferedAmountChange(long previousAmount) {
        stream.onBufferedAmountChange();
    }

    @Override
    public void onStateChange() {
        RTCDataChannelState state = channel.getState();
        if (state == RTCDataChannelState.OPEN) {
            opened.complete(null);
        } else if (state == RTCDataChannelState.CLOSED) {
            closed = true;
            closeWatch.closeCompleted();
            opened.completeExceptionally(new ConnectionClosedException("the data channel closed before it opened"));
            stream.onChannelClosed();
        }
    }

    @Override
    public void onMessage(RTCDataChannelBuffer buffer) {
        ByteBuffer data = buffer.data;
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        stream.onMessage(bytes);
    }
}
