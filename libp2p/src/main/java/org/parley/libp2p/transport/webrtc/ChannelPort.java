package org.parley.libp2p.transport.webrtc;

import java.io.IOException;

/**
 * What a {@link DataChannelStream} needs of its data channel: send one message, the bytes still
 * buffered for sending, close. The native {@code RTCDataChannel} implements it through
 * {@link NativeChannelPort}; tests join two streams with an in-memory pair. Thread safe.
 */
interface ChannelPort {

    /** The channel's id, or -1 before the SCTP transport assigned one. */
    int id();

    /**
     * Sends one binary message.
     *
     * @throws org.parley.libp2p.core.ConnectionClosedException if the channel is closed
     */
    void send(byte[] message) throws IOException;

    /** Bytes queued for sending and not yet handed to the network. */
    long bufferedAmount();

    /** Closes the channel; the peer's side sees it closed. Idempotent. */
    void close();
}
