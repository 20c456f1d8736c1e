package org.parley.libp2p.protocol.ping;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.internal.StreamDeadline;

/**
 * Measures the round-trip time to a peer on one outbound {@code /ipfs/ping/1.0.0} stream; pings
 * may repeat on the same stream. {@link #close()} half-closes it, as ping.md asks of the dialer.
 *
 * <p>Thread safe: concurrent {@link #ping()} calls run one after the other. ping.md allows one
 * outbound ping stream per peer; the host keeps that rule.
 */
public final class PingInitiator implements AutoCloseable {

    public static final String PROTOCOL_ID = PingResponder.PROTOCOL_ID;

    /**
     * How long we wait for an echo. go's responder drops a stream after 10 s without a ping, so an
     * echo later than that is not coming.
     */
    public static final Duration ECHO_TIMEOUT = Duration.ofSeconds(10);

    /** The payload only has to be unpredictable enough that a peer cannot echo without reading. */
    private static final RandomGenerator DEFAULT_RANDOM = new SecureRandom();

    private final Stream stream;
    private final RandomGenerator random;
    private final LongSupplier nanoClock;
    private final Duration echoTimeout;
    private final ReentrantLock lock = new ReentrantLock();

    /** Pings over {@code stream}, which must have negotiated {@link #PROTOCOL_ID}. */
    public PingInitiator(Stream stream) {
        this(stream, DEFAULT_RANDOM, System::nanoTime, ECHO_TIMEOUT);
    }

    PingInitiator(Stream stream, RandomGenerator random, LongSupplier nanoClock, Duration echoTimeout) {
        this.stream = stream;
        this.random = random;
        this.nanoClock = nanoClock;
        this.echoTimeout = echoTimeout;
    }

    /**
     * Sends one random 32-byte payload and waits for its echo.
     *
     * @return the time from sending the payload to reading the whole echo
     * @throws PeerFaultException if the echo differs from the payload (the stream is reset)
     * @throws ConnectionClosedException if no echo comes within {@link #ECHO_TIMEOUT} (the stream
     *     is reset), or the stream ends or is reset before the whole echo
     */
    public Duration ping() throws IOException {
        lock.lock();
        try {
            return pingOnce();
        } finally {
            lock.unlock();
        }
    }

    private Duration pingOnce() throws IOException {
        byte[] payload = new byte[PingResponder.PAYLOAD_BYTES];
        random.nextBytes(payload);
        byte[] echo;
        long start;
        long end;
        try (StreamDeadline deadline = StreamDeadline.start(stream, echoTimeout)) {
            try {
                start = nanoClock.getAsLong();
                stream.out().write(payload);
                stream.out().flush();
                echo = stream.in().readNBytes(PingResponder.PAYLOAD_BYTES);
                end = nanoClock.getAsLong();
            } catch (IOException e) {
                if (deadline.expired()) {
                    throw new ConnectionClosedException(
                            "no ping echo from " + stream.remotePeer() + " within " + echoTimeout.toMillis() + " ms", e);
                }
                throw e;
            }
        }
        if (echo.length < PingResponder.PAYLOAD_BYTES) {
            throw new ConnectionClosedException("ping stream ended after " + echo.length + " of "
                    + PingResponder.PAYLOAD_BYTES + " echo bytes");
        }
        if (!Arrays.equals(payload, echo)) {
            stream.reset();
            throw new PeerFaultException("ping echo from " + stream.remotePeer()
                    + " differs from the " + PingResponder.PAYLOAD_BYTES + " bytes sent");
        }
        return Duration.ofNanos(end - start);
    }

    /** Half-closes the stream (the responder then closes its side) and releases it. Idempotent. */
    @Override
    public void close() {
        stream.close();
    }
}
