package org.parley.libp2p.transport.webrtc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.StreamResetException;
import org.parley.libp2p.transport.webrtc.DataChannelFrame.Flag;

/**
 * A data-channel stream over in-memory channels: the FIN / FIN_ACK close handshake, STOP_SENDING,
 * the receive limit, and writers held by the buffered amount between the named thresholds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DataChannelStreamTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    /** Two streams whose ports deliver to each other. */
    private record Linked(FakePort aPort, FakePort bPort, DataChannelStream a, DataChannelStream b) {}

    private Linked linked() {
        FakePort aPort = new FakePort();
        FakePort bPort = new FakePort();
        DataChannelStream a = new DataChannelStream(aPort, timers, () -> {});
        DataChannelStream b = new DataChannelStream(bPort, timers, () -> {});
        aPort.peer = b;
        bPort.peer = a;
        aPort.self = a;
        bPort.self = b;
        aPort.peerPort = bPort;
        bPort.peerPort = aPort;
        return new Linked(aPort, bPort, a, b);
    }

    /** A writes a request and finishes; B reads it to its end, then writes a reply and finishes. */
    private static void requestAndReply(Linked pair) throws Exception {
        pair.a().out().write("request".getBytes(UTF_8));
        pair.a().closeWrite();
        assertThat(new String(pair.b().in().readAllBytes(), UTF_8)).isEqualTo("request");
        pair.b().out().write("reply".getBytes(UTF_8));
        pair.b().closeWrite();
    }

    @Test
    void finIsAcknowledgedAndTheSideThatFinishedFirstClosesTheChannel() throws Exception {
        Linked pair = linked();
        Thread timerThread = timers.submit(Thread::currentThread).get();

        requestAndReply(pair);
        assertThat(new String(pair.a().in().readAllBytes(), UTF_8)).isEqualTo("reply");

        assertThat(pair.aPort().closed.await(10, TimeUnit.SECONDS)).as("A closed its channel after FIN_ACK").isTrue();
        assertThat(pair.aPort().closedOn).as("A closed at once, not after a grace").isNotSameAs(timerThread);
        assertThat(pair.bPort().closedEvent.await(10, TimeUnit.SECONDS)).as("B's channel closed").isTrue();
        assertThat(pair.bPort().closed.getCount()).as("B left the closing to A, which finished first").isOne();
        assertThat(pair.aPort().flagsSent()).containsExactly(Flag.FIN, Flag.FIN_ACK);
        assertThat(pair.bPort().flagsSent()).containsExactly(Flag.FIN_ACK, Flag.FIN);
    }

    @Test
    void aPeerThatFinishedFirstButNeverClosesTheChannelHasItClosedAfterTheGrace() throws Exception {
        FakePort port = new FakePort();
        // A short grace: what is checked is who closes, not when.
        DataChannelStream stream = new DataChannelStream(port, timers, Duration.ofMillis(200), () -> {});
        Thread timerThread = timers.submit(Thread::currentThread).get();

        stream.onMessage(DataChannelCodec.encode(DataChannelFrame.of(Flag.FIN)));
        assertThat(stream.in().read()).isEqualTo(-1);
        stream.closeWrite();
        stream.onMessage(DataChannelCodec.encode(DataChannelFrame.of(Flag.FIN_ACK)));

        assertThat(port.closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(port.closedOn).as("closed by the grace timer, not when the FIN_ACK came").isSameAs(timerThread);
        assertThat(port.flagsSent()).containsExactly(Flag.FIN_ACK, Flag.FIN);
    }

    @Test
    void aReplyWrittenAfterEndOfStreamFollowsTheFinAck() throws Exception {
        for (int round = 0; round < 200; round++) {
            Linked pair = linked();

            // B sees end-of-stream as soon as the FIN arrived, then answers at once, racing the
            // thread that the FIN started to acknowledge it.
            requestAndReply(pair);

            assertThat(pair.bPort().framesSent()).as("round %d: what B sent, in order", round).containsExactly(
                    DataChannelFrame.of(Flag.FIN_ACK), DataChannelFrame.data("reply".getBytes(UTF_8)),
                    DataChannelFrame.of(Flag.FIN));
            assertThat(new String(pair.a().in().readAllBytes(), UTF_8)).isEqualTo("reply");
            // Lets the round finish its close before the timers stop.
            assertThat(pair.bPort().closedEvent.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void oneReadTakesEveryQueuedFrameThatFitsInOrder() throws Exception {
        DataChannelStream stream = new DataChannelStream(new FakePort(), timers, () -> {});
        for (String part : List.of("ab", "cde", "fghi")) {
            stream.onMessage(DataChannelCodec.encode(DataChannelFrame.data(part.getBytes(UTF_8))));
        }

        byte[] small = new byte[4];
        assertThat(stream.in().read(small)).isEqualTo(4);
        assertThat(new String(small, UTF_8)).isEqualTo("abcd");
        assertThat(stream.in().available()).isEqualTo(5);
        byte[] large = new byte[64];
        assertThat(stream.in().read(large)).isEqualTo(5);
        assertThat(new String(large, 0, 5, UTF_8)).isEqualTo("efghi");
        assertThat(stream.in().available()).isZero();
    }

    @Test
    void closingStopsTheReadingSideAndThePeerStopsWriting() throws Exception {
        Linked pair = linked();

        pair.a().close();

        assertThat(pair.aPort().flagsSent()).containsExactly(Flag.FIN, Flag.STOP_SENDING);
        assertThatThrownBy(() -> pair.b().out().write(1)).isInstanceOf(ConnectionClosedException.class)
                .hasMessage("the peer stopped reading the stream");
        assertThat(pair.b().in().read()).isEqualTo(-1);
        assertThatThrownBy(() -> pair.a().in().read()).hasMessage("the stream is closed");
    }

    @Test
    void aPeerThatFloodsAnUnreadStreamGetsItReset() throws Exception {
        FakePort port = new FakePort();
        DataChannelStream stream = new DataChannelStream(port, timers, () -> {});
        byte[] frame = DataChannelCodec.encode(DataChannelFrame.data(new byte[DataChannelCodec.MAX_PAYLOAD_BYTES]));

        long frames = DataChannelStream.MAX_RECEIVE_BUFFER_BYTES / DataChannelCodec.MAX_PAYLOAD_BYTES + 1;
        for (long i = 0; i < frames; i++) {
            stream.onMessage(frame);
        }

        assertThat(port.closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(port.flagsSent()).containsExactly(Flag.RESET_STREAM);
        assertThatThrownBy(() -> stream.in().read()).isInstanceOf(StreamResetException.class);
    }

    @Test
    void writersWaitAboveTheHighMarkAndResumeAtTheLowMark() throws Exception {
        FakePort port = new FakePort();
        port.holdSent = true; // nothing drains until the test says so
        DataChannelStream stream = new DataChannelStream(port, timers, () -> {});
        int frame = DataChannelCodec.MAX_PAYLOAD_BYTES;
        long fillFrames = DataChannelStream.HIGH_WATER_BYTES / frame + 1;

        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                stream.out().write(new byte[(int) ((fillFrames + 1) * frame)]);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        // The writer fills the buffer past the high mark without asking, then asks and waits.
        port.awaitQueries(3);
        assertThat(port.buffered.get()).isGreaterThan(DataChannelStream.HIGH_WATER_BYTES);
        assertThat(port.dataFramesSent()).as("the writer stopped above the high mark").isEqualTo(fillFrames);

        port.buffered.set(DataChannelStream.LOW_WATER_BYTES + 1);
        port.awaitQueries(3);
        assertThat(port.dataFramesSent()).as("no data until the low mark").isEqualTo(fillFrames);

        port.buffered.set(DataChannelStream.LOW_WATER_BYTES);
        writer.join();
        assertThat(port.dataFramesSent()).isEqualTo(fillFrames + 1);
    }

    /** A channel that hands every message straight to its peer stream and records what it sent. */
    private static final class FakePort implements ChannelPort {
        volatile DataChannelStream peer;
        /** The stream on this port, told when either side closes the channel (both directions reset). */
        volatile DataChannelStream self;
        /** The thread that called {@link #close()}. */
        volatile Thread closedOn;
        /** The channel went closed, by either side's close. */
        final CountDownLatch closedEvent = new CountDownLatch(1);
        volatile FakePort peerPort;
        /** Whether sent bytes stay in {@link #buffered} (a network that does not drain); else it stays as set. */
        volatile boolean holdSent;
        final AtomicLong buffered = new AtomicLong();
        final CountDownLatch closed = new CountDownLatch(1);
        private final List<DataChannelFrame> sent = new ArrayList<>();
        private final AtomicInteger queries = new AtomicInteger();

        @Override
        public int id() {
            return 1;
        }

        @Override
        public void send(byte[] message) throws IOException {
            if (closedEvent.getCount() == 0) {
                throw new ConnectionClosedException("closed");
            }
            synchronized (sent) {
                sent.addAll(new DataChannelCodec.Decoder().feed(message, 0, message.length));
            }
            if (holdSent) {
                buffered.addAndGet(message.length);
            }
            if (peer != null) {
                peer.onMessage(message);
            }
        }

        @Override
        public long bufferedAmount() {
            synchronized (queries) {
                queries.incrementAndGet();
                queries.notifyAll();
            }
            return buffered.get();
        }

        @Override
        public void close() {
            if (closed.getCount() == 1) {
                closedOn = Thread.currentThread();
                closed.countDown();
            }
            channelClosed();
            if (peerPort != null) {
                peerPort.channelClosed();
            }
        }

        private void channelClosed() {
            if (closedEvent.getCount() == 1) {
                closedEvent.countDown();
                if (self != null) {
                    self.onChannelClosed();
                }
            }
        }

        /** Waits until the writer asked the buffered amount {@code count} more times. */
        void awaitQueries(int count) throws InterruptedException {
            synchronized (queries) {
                int target = queries.get() + count;
                while (queries.get() < target) {
                    queries.wait();
                }
            }
        }

        List<DataChannelFrame> framesSent() {
            synchronized (sent) {
                return List.copyOf(sent);
            }
        }

        List<Flag> flagsSent() {
            synchronized (sent) {
                return sent.stream().map(DataChannelFrame::flag).filter(f -> f != null).toList();
            }
        }

        long dataFramesSent() {
            synchronized (sent) {
                return sent.stream().filter(f -> f.payload().length > 0).count();
            }
        }
    }
}
