package org.parley.libp2p.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.transport.memory.MemoryPipe;

/**
 * Window growth seen on the wire: the receiver's WINDOW_UPDATE frames are recorded as they leave
 * it. A frozen clock makes every epoch look fast, so growth depends on behaviour, not timing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class YamuxWindowGrowthTest {

    private static final YamuxConfig QUIET = YamuxConfig.DEFAULT
            .withKeepAliveInterval(null)
            .withWriteTimeout(null)
            .withMeasureRttAtStart(false);

    private static final long FROZEN = 0;

    @Test
    void receiverAdvertisesALargerWindowDuringAFastBulkTransfer() throws Exception {
        List<YamuxFrame> sentByReceiver = transfer(8 * 1024 * 1024, true);

        assertThat(windowUpdatesOnStreamOne(sentByReceiver))
                .as("window update deltas on stream 1")
                .anyMatch(delta -> delta > YamuxConfig.INITIAL_STREAM_WINDOW);
    }

    @Test
    void receiverKeepsTheInitialWindowWithoutARoundTripMeasurement() throws Exception {
        List<YamuxFrame> sentByReceiver = transfer(8 * 1024 * 1024, false);

        assertThat(windowUpdatesOnStreamOne(sentByReceiver))
                .isNotEmpty()
                .allMatch(delta -> delta <= YamuxConfig.INITIAL_STREAM_WINDOW);
    }

    @Test
    void windowNeverGrowsBeyondTheConfiguredMaximum() throws Exception {
        List<YamuxFrame> sentByReceiver = transfer(32 * 1024 * 1024, true);

        assertThat(windowUpdatesOnStreamOne(sentByReceiver).stream().mapToLong(Long::longValue).max().orElseThrow())
                .isLessThanOrEqualTo(YamuxConfig.DEFAULT_MAX_STREAM_WINDOW);
    }

    /** Sends {@code bytes} from initiator to responder; returns the frames the responder wrote. */
    private static List<YamuxFrame> transfer(int bytes, boolean measureRtt) throws Exception {
        MemoryPipe.Pair pipe = MemoryPipe.pair();
        FrameTap tap = new FrameTap(pipe.responder());
        YamuxSession sender = YamuxSession.start(pipe.initiator(), true, QUIET, System::nanoTime);
        YamuxSession receiver = YamuxSession.start(tap, false, QUIET, () -> FROZEN);
        try {
            if (measureRtt) {
                receiver.ping();
            }
            MuxedStream out = sender.openStream();
            MuxedStream in = receiver.acceptStream();
            Thread writer = Thread.startVirtualThread(() -> {
                try {
                    out.out().write(new byte[bytes]);
                    out.closeWrite();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(in.in().readAllBytes()).hasSize(bytes);
            writer.join();
            return tap.frames;
        } finally {
            sender.close();
            receiver.close();
        }
    }

    private static List<Long> windowUpdatesOnStreamOne(List<YamuxFrame> frames) {
        return frames.stream()
                .filter(f -> f.type() == YamuxFrame.Type.WINDOW_UPDATE && f.streamId() == 1 && f.flags() == 0)
                .map(YamuxFrame::length)
                .toList();
    }

    /** A connection that records, header by header, the frames written to it. */
    private static final class FrameTap implements Duplex {
        final List<YamuxFrame> frames = new CopyOnWriteArrayList<>();
        private final Duplex connection;
        private final byte[] header = new byte[YamuxFrameCodec.HEADER_LENGTH];
        private int headerFill;
        private long payloadLeft;
        private final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                connection.out().write(b, off, len);
                record(b, off, len);
            }
        };

        FrameTap(Duplex connection) {
            this.connection = connection;
        }

        @Override
        public InputStream in() {
            return connection.in();
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public void close() {
            connection.close();
        }

        private void record(byte[] b, int off, int len) throws PeerFaultException {
            int end = off + len;
            while (off < end) {
                if (payloadLeft > 0) {
                    int skip = (int) Math.min(payloadLeft, end - off);
                    payloadLeft -= skip;
                    off += skip;
                    continue;
                }
                int n = Math.min(header.length - headerFill, end - off);
                System.arraycopy(b, off, header, headerFill, n);
                headerFill += n;
                off += n;
                if (headerFill == header.length) {
                    YamuxFrame frame = YamuxFrameCodec.decodeHeader(header, 0);
                    frames.add(frame);
                    headerFill = 0;
                    payloadLeft = frame.type() == YamuxFrame.Type.DATA ? frame.length() : 0;
                }
            }
        }
    }
}
