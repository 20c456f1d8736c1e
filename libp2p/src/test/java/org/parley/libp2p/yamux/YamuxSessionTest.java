package org.parley.libp2p.yamux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.core.StreamResetException;
import org.parley.libp2p.testing.Threads;
import org.parley.libp2p.transport.memory.MemoryPipe;

/** The session state machine against a scripted peer that speaks the hex of the spec. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class YamuxSessionTest {

    /** No timers: the scripted peer sees only the frames a test provokes. */
    private static final YamuxConfig QUIET = YamuxConfig.DEFAULT
            .withKeepAliveInterval(null)
            .withWriteTimeout(null)
            .withMeasureRttAtStart(false);

    private YamuxSession session;
    private ScriptedYamuxPeer peer;

    private void start(boolean initiator) {
        start(initiator, QUIET);
    }

    private void start(boolean initiator, YamuxConfig config) {
        start(initiator, config, MemoryPipe.DEFAULT_BUFFER_SIZE);
    }

    private void start(boolean initiator, YamuxConfig config, int pipeBufferSize) {
        MemoryPipe.Pair pipe = MemoryPipe.pair(pipeBufferSize);
        session = YamuxSession.start(pipe.initiator(), initiator, config, System::nanoTime);
        peer = new ScriptedYamuxPeer(pipe.responder());
    }

    @AfterEach
    void stop() {
        session.close();
        peer.close();
    }

    @Test
    void opensStreamWithWindowUpdateSynThenSendsDataAndFin() throws Exception {
        start(true);

        MuxedStream stream = session.openStream();
        peer.expect("00 01 0001 00000001 00000000");
        peer.send("00 01 0002 00000001 00000000");
        stream.out().write("hello".getBytes(UTF_8));
        peer.expect("00 00 0000 00000001 00000005 68656c6c6f");
        stream.closeWrite();
        peer.expect("00 01 0004 00000001 00000000");

        assertThat(stream.id()).isEqualTo(1);
    }

    @Test
    void serverOpensEvenStreamIdsInOrder() throws Exception {
        start(false);

        assertThat(session.openStream().id()).isEqualTo(2);
        assertThat(session.openStream().id()).isEqualTo(4);
        peer.expect("00 01 0001 00000002 00000000");
        peer.expect("00 01 0001 00000004 00000000");
    }

    @Test
    void acksStreamWhenAcceptedAndReadsDataUntilFin() throws Exception {
        start(false);

        peer.send("00 01 0001 00000001 00000000");
        MuxedStream stream = session.acceptStream();
        peer.expect("00 01 0002 00000001 00000000");
        peer.send("00 00 0000 00000001 00000005 68656c6c6f");
        peer.send("00 00 0004 00000001 00000000");

        assertThat(stream.in().readAllBytes()).asString(UTF_8).isEqualTo("hello");
        assertThat(stream.id()).isEqualTo(1);
    }

    @Test
    void acceptsStreamOpenedByDataFrameWithSyn() throws Exception {
        start(false);

        peer.send("00 00 0001 00000001 00000005 68656c6c6f");
        MuxedStream stream = session.acceptStream();

        assertThat(stream.in().readNBytes(5)).asString(UTF_8).isEqualTo("hello");
    }

    @Test
    void answersPingWithAckAndSameValue() throws Exception {
        start(true);

        peer.send("00 02 0001 00000000 0000002a");

        peer.expect("00 02 0002 00000000 0000002a");
    }

    @Test
    void pingReturnsOnceThePeerAnswers() throws Exception {
        start(true);

        CompletableFuture<Duration> rtt = CompletableFuture.supplyAsync(this::ping, Thread::startVirtualThread);
        YamuxFrame request = peer.read();
        assertThat(request).isEqualTo(YamuxFrame.ping(YamuxFrame.SYN, request.length()));
        peer.send(YamuxFrame.ping(YamuxFrame.ACK, request.length()));

        assertThat(rtt.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(Duration.ZERO);
        assertThat(session.rttNanos()).isNotNegative();
    }

    @Test
    void closeSendsGoAwayAndClosesTheConnection() throws Exception {
        start(true);

        session.close();

        peer.expect("00 03 0000 00000000 00000000");
        peer.expectEndOfStream();
        assertThat(session.readerThread().isAlive()).isFalse();
    }

    @Test
    void openStreamFailsAfterPeerSentGoAway() throws Exception {
        start(true);

        peer.send("00 03 0000 00000000 00000000");
        peer.sync();

        assertThatThrownBy(session::openStream)
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("yamux peer sent GO_AWAY: no new streams");
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void rejectsFrameLargerThanWindow() throws Exception {
        start(false);
        peer.send("00 01 0001 00000001 00000000");
        MuxedStream stream = session.acceptStream();
        peer.expect("00 01 0002 00000001 00000000");

        // 300000 = 0x000493e0; the session must refuse on the header, before any payload.
        peer.send("00 00 0000 00000001 000493e0");

        peer.expect("00 03 0000 00000000 00000001");
        peer.expectEndOfStream();
        assertThatThrownBy(() -> stream.in().read())
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("yamux frame of 300000 bytes exceeds the 262144-byte window of stream 1");
        assertThatThrownBy(session::openStream).isInstanceOf(PeerFaultException.class);
    }

    @Test
    void rejectsDataBeyondWhatIsLeftOfTheWindow() throws Exception {
        start(false);
        peer.send("00 01 0001 00000001 00000000");
        peer.send(YamuxFrame.data(1, 0, new byte[200_000]));

        peer.send("00 00 0000 00000001 00011170");

        peer.expect("00 03 0000 00000000 00000001");
        peer.expectEndOfStream();
        assertThat(session.closeReason())
                .hasMessage("yamux frame of 70000 bytes exceeds the 62144-byte window of stream 1");
    }

    /**
     * Regression: go-yamux resets with WINDOW_UPDATE|RST and puts an error code in the length; that
     * length must never be added to the send window.
     */
    @Test
    void rstOnWindowUpdateIsNotCountedAsCredit() throws Exception {
        start(true);
        YamuxStream stream = (YamuxStream) session.openStream();
        peer.expect("00 01 0001 00000001 00000000");

        peer.send("00 01 0008 00000001 00000005");
        peer.sync();

        assertThat(stream.sendCredit()).isEqualTo(YamuxConfig.INITIAL_STREAM_WINDOW);
        assertThatThrownBy(() -> stream.out().write(1))
                .isInstanceOf(StreamResetException.class)
                .hasMessage("yamux stream 1 was reset by the peer");
    }

    @Test
    void windowUpdateAddsCredit() throws Exception {
        start(true);
        YamuxStream stream = (YamuxStream) session.openStream();
        peer.expect("00 01 0001 00000001 00000000");

        peer.send("00 01 0002 00000001 00040000");
        peer.sync();

        assertThat(stream.sendCredit()).isEqualTo(2L * YamuxConfig.INITIAL_STREAM_WINDOW);
    }

    /**
     * Regression: a window update of 0xFFFFFFFF was accepted twice, raising the send window past
     * what a 32-bit window can count. Filling the window to its maximum is allowed; one byte more
     * is a protocol error that closes the session.
     */
    @Test
    void rejectsAWindowUpdateThatWouldOverflowTheWindow() throws Exception {
        start(true);
        YamuxStream stream = (YamuxStream) session.openStream();
        peer.expect("00 01 0001 00000001 00000000");
        long toMaximum = YamuxStream.MAX_SEND_WINDOW - YamuxConfig.INITIAL_STREAM_WINDOW;
        peer.send(String.format("00 01 0000 00000001 %08x", toMaximum));
        peer.sync();
        assertThat(stream.sendCredit()).isEqualTo(0xFFFF_FFFFL);

        peer.send("00 01 0000 00000001 ffffffff");

        peer.expect("00 03 0000 00000000 00000001");
        peer.expectEndOfStream();
        assertThat(session.closeReason())
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("yamux window update of 4294967295 bytes on stream 1 would raise the send window from "
                        + "4294967295 to 8589934590 bytes, beyond the 4294967295-byte maximum");
    }

    @Test
    void rejectsAMaximalWindowUpdateOnTopOfTheInitialWindow() throws Exception {
        start(true);
        YamuxStream stream = (YamuxStream) session.openStream();
        peer.expect("00 01 0001 00000001 00000000");

        peer.send("00 01 0000 00000001 ffffffff");

        peer.expect("00 03 0000 00000000 00000001");
        peer.expectEndOfStream();
        assertThat(session.closeReason()).isInstanceOf(PeerFaultException.class);
        assertThat(stream.sendCredit()).isEqualTo(YamuxConfig.INITIAL_STREAM_WINDOW);
    }

    @Test
    void writerWaitsAtZeroCreditUntilWindowUpdate() throws Exception {
        start(true);
        MuxedStream stream = session.openStream();
        peer.expect("00 01 0001 00000001 00000000");
        byte[] data = new byte[300_000];

        Thread writer = Thread.startVirtualThread(() -> {
            try {
                stream.out().write(data);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(peer.read().length()).isEqualTo(262_144);
        Threads.awaitBlocked(writer);
        peer.send("00 01 0000 00000001 00010000");

        assertThat(peer.read().length()).isEqualTo(300_000 - 262_144);
        writer.join();
    }

    @Test
    void returnsCreditOnceHalfTheWindowWasRead() throws Exception {
        start(false);
        peer.send("00 01 0001 00000001 00000000");
        MuxedStream stream = session.acceptStream();
        peer.expect("00 01 0002 00000001 00000000");
        peer.send(YamuxFrame.data(1, 0, new byte[131_072]));

        assertThat(stream.in().readNBytes(131_071)).hasSize(131_071);
        assertThat(stream.in().read()).isZero();

        peer.expect("00 01 0000 00000001 00020000");
    }

    @Test
    void rejectsSynForStreamAlreadyOpen() throws Exception {
        start(false);

        peer.send("00 01 0001 00000001 00000000");
        peer.send("00 01 0001 00000001 00000000");

        peer.expect("00 03 0000 00000000 00000001");
        peer.expectEndOfStream();
        assertThat(session.closeReason())
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("yamux SYN for stream 1, which is already open");
    }

    @Test
    void rejectsSynWithTheParityOfOurOwnStreams() throws Exception {
        start(false);

        peer.send("00 01 0001 00000002 00000000");

        peer.expect("00 03 0000 00000000 00000001");
        peer.expectEndOfStream();
        assertThat(session.closeReason())
                .hasMessage("yamux SYN for stream 2 has the parity of our own streams (expected odd ids)");
    }

    @Test
    void rejectsUnknownFrameType() throws Exception {
        start(true);

        peer.send("00 04 0000 00000000 00000000");

        peer.expect("00 03 0000 00000000 00000001");
        peer.expectEndOfStream();
        assertThat(session.closeReason()).hasMessage("yamux frame type 4 is unknown (expected 0 to 3)");
    }

    @Test
    void rejectsVersionOtherThanZero() throws Exception {
        start(true);

        peer.send("01 02 0001 00000000 00000000");

        peer.expect("00 03 0000 00000000 00000001");
        peer.expectEndOfStream();
        assertThat(session.closeReason()).hasMessage("yamux version 1 is not supported (expected 0)");
    }

    @Test
    void rejectsDataOnStreamZero() throws Exception {
        start(true);

        peer.send("00 00 0000 00000000 00000000");

        peer.expect("00 03 0000 00000000 00000001");
        peer.expectEndOfStream();
        assertThat(session.closeReason())
                .hasMessage("yamux DATA frame on stream 0, which is reserved for the session");
    }

    @Test
    void refusesStreamsBeyondTheInboundLimitWithRst() throws Exception {
        start(false, QUIET.withMaxInboundStreams(2));

        peer.send("00 01 0001 00000001 00000000");
        peer.send("00 01 0001 00000003 00000000");
        peer.send("00 01 0001 00000005 00000000");

        peer.expect("00 01 0008 00000005 00000000");
        assertThat(session.streamCount()).isEqualTo(2);
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void refusesStreamsBeyondTheAcceptBacklogWithRst() throws Exception {
        start(false, QUIET.withAcceptBacklog(1));

        peer.send("00 01 0001 00000001 00000000");
        peer.send("00 00 0001 00000003 00000002 abcd");
        peer.expect("00 01 0008 00000003 00000000");
        session.acceptStream();
        peer.expect("00 01 0002 00000001 00000000");
        peer.send("00 01 0001 00000005 00000000");

        assertThat(session.acceptStream().id()).isEqualTo(5);
    }

    @Test
    void openStreamWaitsWhileTooManyStreamsAreUnacked() throws Exception {
        start(true, QUIET.withMaxUnackedOutboundStreams(1));
        session.openStream();
        peer.expect("00 01 0001 00000001 00000000");

        CompletableFuture<MuxedStream> second = new CompletableFuture<>();
        Thread opener = Thread.startVirtualThread(() -> {
            try {
                second.complete(session.openStream());
            } catch (IOException e) {
                second.completeExceptionally(e);
            }
        });
        Threads.awaitBlocked(opener);
        assertThat(second).isNotDone();
        peer.send("00 01 0002 00000001 00000000");

        peer.expect("00 01 0001 00000003 00000000");
        assertThat(second.get(10, TimeUnit.SECONDS).id()).isEqualTo(3);
    }

    @Test
    void readAfterPeerResetThrowsAndDropsBufferedData() throws Exception {
        start(false);
        peer.send("00 00 0001 00000001 00000005 68656c6c6f");
        MuxedStream stream = session.acceptStream();
        peer.expect("00 01 0002 00000001 00000000");

        peer.send("00 01 0008 00000001 00000000");
        peer.sync();

        assertThatThrownBy(() -> stream.in().read())
                .isInstanceOf(StreamResetException.class)
                .hasMessage("yamux stream 1 was reset by the peer");
        assertThat(session.streamCount()).isZero();
    }

    @Test
    void resetSendsRstAndFailsLocalReadsAndWrites() throws Exception {
        start(true);
        MuxedStream stream = session.openStream();
        peer.expect("00 01 0001 00000001 00000000");

        stream.reset();

        peer.expect("00 01 0008 00000001 00000000");
        assertThatThrownBy(() -> stream.in().read()).isInstanceOf(StreamResetException.class);
        assertThatThrownBy(() -> stream.out().write(1))
                .isInstanceOf(StreamResetException.class)
                .hasMessage("yamux stream 1 was reset locally");
    }

    @Test
    void writeAfterCloseWriteFailsWhileReadingGoesOn() throws Exception {
        start(true);
        MuxedStream stream = session.openStream();
        peer.expect("00 01 0001 00000001 00000000");

        stream.closeWrite();
        peer.expect("00 01 0004 00000001 00000000");
        peer.send("00 00 0002 00000001 00000002 6f6b");

        assertThatThrownBy(() -> stream.out().write(1))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("yamux stream 1 is closed for writing");
        assertThat(stream.in().readNBytes(2)).asString(UTF_8).isEqualTo("ok");
    }

    @Test
    void resetsStreamWhenPeerSendsDataAfterItsFin() throws Exception {
        start(false);
        peer.send("00 00 0005 00000001 00000001 61");
        session.acceptStream();
        peer.expect("00 01 0002 00000001 00000000");

        peer.send("00 00 0000 00000001 00000001 62");

        peer.expect("00 01 0008 00000001 00000000");
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void ignoresFramesForStreamsItNoLongerKnows() throws Exception {
        start(true);

        peer.send("00 00 0000 00000007 00000003 616263");
        peer.send("00 01 0000 00000007 00001000");

        peer.sync();
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void measuresTheRoundTripAtStartWhenAsked() throws Exception {
        start(true, QUIET.withMeasureRttAtStart(true));

        YamuxFrame request = peer.read();
        assertThat(request.type()).isEqualTo(YamuxFrame.Type.PING);
        assertThat(request.flags()).isEqualTo(YamuxFrame.SYN);
        assertThat(session.rttNanos()).isEqualTo(-1);
        peer.send(YamuxFrame.ping(YamuxFrame.ACK, request.length()));
        peer.sync();

        assertThat(session.rttNanos()).isNotNegative();
    }

    @Test
    void sendsKeepAlivePingsAndClosesWhenTheyGoUnanswered() throws Exception {
        start(true, QUIET.withKeepAliveInterval(Duration.ofMillis(20)).withPingTimeout(Duration.ofMillis(200)));

        YamuxFrame first = peer.read();
        assertThat(first.type()).isEqualTo(YamuxFrame.Type.PING);
        peer.send(YamuxFrame.ping(YamuxFrame.ACK, first.length()));
        YamuxFrame second = peer.read();
        assertThat(second.type()).isEqualTo(YamuxFrame.Type.PING);
        assertThat(second.length()).isNotEqualTo(first.length());

        peer.expectEndOfStream();
        assertThat(session.closeReason())
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("yamux keepalive ping got no answer within PT0.2S");
    }

    @Test
    void closesTheSessionWhenAWriteBlocksLongerThanTheWriteTimeout() throws Exception {
        start(true, QUIET.withWriteTimeout(Duration.ofMillis(100)), 1024);
        MuxedStream stream = session.openStream();

        assertThatThrownBy(() -> stream.out().write(new byte[100_000]))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("yamux write blocked for more than PT0.1S");
        assertThat(session.isOpen()).isFalse();
    }

    private Duration ping() {
        try {
            return session.ping();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
