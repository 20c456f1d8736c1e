package org.parley.libp2p.protocol.ping;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.StreamHandler;
import org.parley.libp2p.internal.StreamDeadline;

/**
 * Serves inbound {@code /ipfs/ping/1.0.0} streams: echoes each 32-byte payload until the dialer
 * half-closes, then closes our side.
 *
 * <p>The dialer may half-close right after its last payload (js does so after its only one); the
 * bytes already sent are still echoed. Thread safe and stateless: one instance serves every stream.
 * How many ping streams a peer may hold open is for the host to limit (ping.md: two inbound).
 */
public final class PingResponder implements StreamHandler {

    public static final String PROTOCOL_ID = "/ipfs/ping/1.0.0";

    /** ping.md fixes the payload at 32 bytes, with no framing. */
    public static final int PAYLOAD_BYTES = 32;

    /**
     * How long a stream may sit without a complete ping. rust-libp2p keeps its stream and pings
     * every 15 s, so 20 s lets that pattern live while a silent stream is dropped soon.
     */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(20);

    /**
     * Pings echoed on one stream before we close it. With {@link #IDLE_TIMEOUT} this bounds a
     * stream's lifetime (about an hour at rust's pace); a dialer that wants more opens a new stream.
     */
    public static final int MAX_PINGS_PER_STREAM = 256;

    private final Duration idleTimeout;
    private final int maxPings;

    public PingResponder() {
        this(IDLE_TIMEOUT, MAX_PINGS_PER_STREAM);
    }

    PingResponder(Duration idleTimeout, int maxPings) {
        this.idleTimeout = idleTimeout;
        this.maxPings = maxPings;
    }

    /**
     * Echoes pings until the dialer half-closes, {@link #MAX_PINGS_PER_STREAM} is reached or the
     * stream idles for {@link #IDLE_TIMEOUT}; then closes our writing side.
     *
     * @throws PeerFaultException if the dialer ends its side in the middle of a payload
     * @throws ConnectionClosedException if the stream idles too long, is reset or closes
     */
    @Override
    public void handle(Stream stream) throws IOException {
        InputStream in = stream.in();
        OutputStream out = stream.out();
        byte[] payload = new byte[PAYLOAD_BYTES];
        try (StreamDeadline deadline = StreamDeadline.start(stream, idleTimeout)) {
            try {
                for (int pings = 0; pings < maxPings; pings++) {
                    int read = in.readNBytes(payload, 0, PAYLOAD_BYTES);
                    if (read == 0) {
                        break;
                    }
                    if (read < PAYLOAD_BYTES) {
                        throw new PeerFaultException("ping stream ended after " + read + " of "
                                + PAYLOAD_BYTES + " payload bytes");
                    }
                    out.write(payload);
                    out.flush();
                    deadline.restart(idleTimeout);
                }
            } catch (IOException e) {
                if (deadline.expired()) {
                    throw new ConnectionClosedException(
                            "ping stream idle for more than " + idleTimeout.toMillis() + " ms", e);
                }
                throw e;
            }
        }
        stream.closeWrite();
    }
}
