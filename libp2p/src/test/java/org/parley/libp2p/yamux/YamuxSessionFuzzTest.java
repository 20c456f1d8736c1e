package org.parley.libp2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.InternalFaultException;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;
import org.parley.libp2p.transport.memory.MemoryPipe;
import org.slf4j.LoggerFactory;

/**
 * Fuzz target for a whole yamux session: a scripted peer sends an arbitrary sequence of frames
 * (and some garbage) while the application accepts every stream and reads it to the end. Then the
 * peer closes the connection, or we close the session. Whatever was sent, the session must end
 * with a {@link PeerFaultException} or {@link ConnectionClosedException} (never an
 * {@link InternalFaultException}), and the reader, the application's threads and the connection
 * must all finish within {@link #RUN_TIMEOUT}: no hang, no unexpected exception anywhere. See
 * {@link FuzzChecks}.
 */
class YamuxSessionFuzzTest {

    /** Each run is a few dozen frames in memory; a run still busy after this is hung. */
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(5);
    /** Small limits, so that scripts easily reach the refusal paths. */
    private static final YamuxConfig CONFIG = YamuxConfig.DEFAULT
            .withKeepAliveInterval(null)
            .withWriteTimeout(null)
            .withMeasureRttAtStart(false)
            .withMaxInboundStreams(6)
            .withAcceptBacklog(3);
    private static final int MAX_FRAMES = 64;
    private static final int MAX_PAYLOAD = 600;
    private static final int[] STREAM_IDS = {0, 1, 2, 3, 4, 5, 7, 9, 0xFFFF_FFFF};

    private static final Logger YAMUX_LOG = (Logger) LoggerFactory.getLogger("org.parley.libp2p.yamux");
    private static Level savedLevel;

    /** Every run breaks the protocol somewhere; one warning line per run would swamp the output. */
    @BeforeAll
    static void quietProtocolWarnings() {
        savedLevel = YAMUX_LOG.getLevel();
        YAMUX_LOG.setLevel(Level.ERROR);
    }

    @AfterAll
    static void restoreLogLevel() {
        YAMUX_LOG.setLevel(savedLevel);
    }

    @FuzzTest
    void scriptedPeer(FuzzedDataProvider data) throws Exception {
        boolean initiator = data.consumeBoolean();
        boolean peerClosesFirst = data.consumeBoolean();
        byte[] script = script(data);

        MemoryPipe.Pair pipe = MemoryPipe.pair();
        MemoryPipe.End peer = pipe.responder();
        YamuxSession session = YamuxSession.start(pipe.initiator(), initiator, CONFIG, System::nanoTime);
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        threads.add(Thread.ofVirtual().start(() -> drain(peer.in())));
        threads.add(Thread.ofVirtual().start(() -> acceptAll(session, threads, unexpected)));
        try {
            peer.out().write(script);
            peer.out().flush();
        } catch (ConnectionClosedException sessionEndedFirst) {
            // The session closed the connection because of an earlier frame: the rest is unsent.
        }
        if (peerClosesFirst) {
            peer.shutdownOutput();
        } else {
            session.close();
        }

        String what = "session fed " + HexFormat.of().formatHex(script);
        assertThat(session.readerThread().join(RUN_TIMEOUT)).as("reader of %s ended", what).isTrue();
        for (int i = 0; i < threads.size(); i++) {
            assertThat(threads.get(i).join(RUN_TIMEOUT)).as("thread %s of %s ended", i, what).isTrue();
        }
        peer.close();
        assertThat(unexpected).as("unexpected failures of %s", what).isEmpty();
        assertThat(session.isOpen()).isFalse();
        Libp2pException reason = session.closeReason();
        assertThat(reason).as("close reason of %s", what)
                .isInstanceOfAny(PeerFaultException.class, ConnectionClosedException.class);
        FuzzChecks.requireClearMessage(reason);
    }

    /** Frames with mostly plausible fields, now and then garbage or a length that lies. */
    private static byte[] script(FuzzedDataProvider data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < MAX_FRAMES && data.remainingBytes() > 0; i++) {
            int type = data.consumeInt(0, 4);
            if (type == 4) {
                out.writeBytes(data.consumeBytes(data.consumeInt(1, YamuxFrameCodec.HEADER_LENGTH)));
                continue;
            }
            int flags = data.consumeBoolean() ? data.consumeInt(0, 0xF) : data.consumeInt(0, 0xFFFF);
            int streamId = data.consumeBoolean() ? data.pickValue(STREAM_IDS) : data.consumeInt();
            byte[] payload = new byte[0];
            long length;
            if (type == YamuxFrame.Type.DATA.code()) {
                payload = data.consumeBytes(data.consumeInt(0, MAX_PAYLOAD));
                length = data.consumeBoolean() ? payload.length : data.consumeLong(0, YamuxFrame.MAX_LENGTH);
            } else {
                length = data.consumeBoolean() ? data.consumeLong(0, 4) : data.consumeLong(0, YamuxFrame.MAX_LENGTH);
            }
            byte[] header = new byte[YamuxFrameCodec.HEADER_LENGTH];
            YamuxFrameCodec.encodeHeader(YamuxFrame.Type.ofCode(type), flags, streamId, length, header, 0);
            out.writeBytes(header);
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The connection closed under us: what the session wrote no longer matters.
        }
    }

    /** The application: accepts until the session ends; reads each stream to its end, then answers. */
    private static void acceptAll(YamuxSession session, List<Thread> threads, List<Throwable> unexpected) {
        while (true) {
            MuxedStream stream;
            try {
                stream = session.acceptStream();
            } catch (Libp2pException sessionEnded) {
                return;
            } catch (Throwable t) {
                unexpected.add(t);
                return;
            }
            threads.add(Thread.ofVirtual().start(() -> serve(stream, unexpected)));
        }
    }

    private static void serve(MuxedStream stream, List<Throwable> unexpected) {
        try (stream) {
            stream.in().transferTo(OutputStream.nullOutputStream());
            stream.out().write(new byte[] {'o', 'k'});
            stream.out().flush();
        } catch (Libp2pException expected) {
            if (expected instanceof InternalFaultException) {
                unexpected.add(expected);
            }
        } catch (Throwable t) {
            unexpected.add(t);
        }
    }
}
