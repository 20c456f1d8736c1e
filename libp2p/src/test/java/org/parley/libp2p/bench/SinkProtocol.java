package org.parley.libp2p.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ThreadLocalRandom;
import org.parley.libp2p.interop.JsPeer;

/**
 * The sink protocol of the throughput figures, the same as js's in scripts/interop/peer.mjs: the
 * sender writes its bytes and ends its side; the sink discards everything until end-of-stream and
 * answers the count as 8 bytes big-endian. Used over a yamux stream, a bare Noise channel and a
 * bare TCP connection. Stateless; each call runs on its caller's thread.
 */
final class SinkProtocol {

    static final String PROTOCOL_ID = JsPeer.SINK_PROTOCOL;

    /** The application's write and read size: large, as a bulk transfer would use. */
    static final int CHUNK_BYTES = 256 * 1024;

    static final int COUNT_BYTES = 8;

    private SinkProtocol() {}

    /** Receives until end-of-stream, then answers the count and flushes. Returns the count. */
    static long serve(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[CHUNK_BYTES];
        long count = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            count += n;
        }
        byte[] reply = new byte[COUNT_BYTES];
        for (int i = 0; i < COUNT_BYTES; i++) {
            reply[i] = (byte) (count >>> (8 * (COUNT_BYTES - 1 - i)));
        }
        out.write(reply);
        out.flush();
        return count;
    }

    /** What ends the sender's side: a yamux FIN, a TCP half-close. */
    @FunctionalInterface
    interface EndOfStream {
        void end() throws IOException;
    }

    /**
     * Sends {@code bytes} in {@link #CHUNK_BYTES} writes, ends the stream, and waits for the sink's
     * count, which must equal {@code bytes}.
     *
     * @return nanoseconds from the first write until the count arrived
     */
    static long send(OutputStream out, EndOfStream end, InputStream in, long bytes) throws IOException {
        byte[] chunk = new byte[CHUNK_BYTES];
        ThreadLocalRandom.current().nextBytes(chunk);
        long start = System.nanoTime();
        for (long left = bytes; left > 0; left -= CHUNK_BYTES) {
            out.write(chunk, 0, (int) Math.min(left, CHUNK_BYTES));
        }
        out.flush();
        end.end();
        long counted = readCount(in);
        long elapsed = System.nanoTime() - start;
        if (counted != bytes) {
            throw new IOException("sink counted " + counted + " bytes; sent " + bytes);
        }
        return elapsed;
    }

    private static long readCount(InputStream in) throws IOException {
        byte[] reply = in.readNBytes(COUNT_BYTES);
        if (reply.length != COUNT_BYTES) {
            throw new EOFException("sink replied with " + reply.length + " bytes; expected an " + COUNT_BYTES
                    + "-byte count");
        }
        long count = 0;
        for (byte b : reply) {
            count = (count << 8) | (b & 0xFF);
        }
        return count;
    }

    /** MB/s with MB = 10^6 bytes. */
    static double megabytesPerSecond(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }
}
