package org.parley.libp2p.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.parley.libp2p.host.Stream;

/**
 * The Java side of the interop test protocols that {@code scripts/interop/peer.mjs} serves:
 * {@link JsPeer#ECHO_PROTOCOL} and {@link JsPeer#SINK_PROTOCOL}, as handlers and as clients.
 * Stateless; each method uses only the stream it is given.
 */
public final class InteropProtocols {

    /** Bytes per write: the same chunk size js uses, so both sides exercise the same framing. */
    private static final int CHUNK_BYTES = 64 * 1024;

    private InteropProtocols() {}

    /** Echo handler: copies every byte back, then half-closes after the remote's end-of-stream. */
    public static void serveEcho(Stream stream) throws IOException {
        InputStream in = stream.in();
        OutputStream out = stream.out();
        byte[] buf = new byte[CHUNK_BYTES];
        for (int n; (n = in.read(buf)) != -1; ) {
            out.write(buf, 0, n);
            out.flush();
        }
        stream.closeWrite();
    }

    /** Sink handler: reads to end-of-stream, then answers the count as 8 bytes big-endian. */
    public static void serveSink(Stream stream) throws IOException {
        InputStream in = stream.in();
        byte[] buf = new byte[CHUNK_BYTES];
        long count = 0;
        for (int n; (n = in.read(buf)) != -1; ) {
            count += n;
        }
        stream.out().write(ByteBuffer.allocate(JsPeer.SINK_COUNT_BYTES).putLong(count).array());
        stream.out().flush();
        stream.closeWrite();
    }

    /**
     * Echo client: sends {@code size} pseudo-random bytes (from {@code seed}) while reading the
     * echo on a second thread, half-closes, and checks that exactly the same bytes came back.
     *
     * @throws AssertionError naming both lengths and digests if the echo differs
     */
    public static void echoRoundTrip(Stream stream, int size, long seed) throws IOException, InterruptedException {
        byte[] payload = new byte[size];
        new Random(seed).nextBytes(payload);
        FutureTask<byte[]> reading = new FutureTask<>(() -> stream.in().readAllBytes());
        Thread.ofVirtual().name("echo-reader-" + stream.id()).start(reading);
        OutputStream out = stream.out();
        for (int off = 0; off < size; off += CHUNK_BYTES) {
            out.write(payload, off, Math.min(CHUNK_BYTES, size - off));
        }
        out.flush();
        stream.closeWrite();
        byte[] echoed = await(reading);
        if (!MessageDigest.isEqual(payload, echoed)) {
            throw new AssertionError("echo on stream " + stream.id() + " returned " + echoed.length + " bytes with sha256 "
                    + sha256(echoed) + "; sent " + size + " bytes with sha256 " + sha256(payload));
        }
    }

    /** Sink client: sends {@code size} bytes, half-closes and returns the count the sink reports. */
    public static long sinkSend(Stream stream, long size) throws IOException {
        byte[] chunk = new byte[CHUNK_BYTES];
        new Random(size).nextBytes(chunk);
        OutputStream out = stream.out();
        for (long left = size; left > 0; left -= CHUNK_BYTES) {
            out.write(chunk, 0, (int) Math.min(CHUNK_BYTES, left));
        }
        out.flush();
        stream.closeWrite();
        byte[] reply = stream.in().readAllBytes();
        if (reply.length != JsPeer.SINK_COUNT_BYTES) {
            throw new AssertionError("sink replied with " + reply.length + " bytes; expected an 8-byte count");
        }
        return ByteBuffer.wrap(reply).getLong();
    }

    private static <T> T await(Future<T> f) throws IOException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("echo reader failed", e.getCause());
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
