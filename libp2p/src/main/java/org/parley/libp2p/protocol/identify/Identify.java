package org.parley.libp2p.protocol.identify;

import java.io.IOException;
import java.time.Duration;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.internal.StreamDeadline;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identify protocols: ask a peer who it is ({@code /ipfs/id/1.0.0}) and tell connected peers
 * what changed ({@code /ipfs/id/push/1.0.0}).
 *
 * <p>On {@code /ipfs/id/1.0.0} the stream opener {@linkplain #request asks} and the other side
 * {@linkplain #respond answers}; on {@code /ipfs/id/push/1.0.0} the opener {@linkplain #push
 * pushes} and the other side {@linkplain #receivePush receives}. What is received is checked
 * against the stream's remote peer ({@link #validate}). Each operation is bounded by
 * {@link #TIMEOUT}. The caller owns the stream and closes it afterwards.
 *
 * <p>Stateless and thread safe; each call uses only its own stream.
 */
public final class Identify {

    public static final String PROTOCOL_ID = "/ipfs/id/1.0.0";
    public static final String PUSH_PROTOCOL_ID = "/ipfs/id/push/1.0.0";

    /**
     * How long one identify exchange may take. It is a few KiB in one direction; a peer that has
     * not finished within 30 s over a working connection is stalling, and identify holds a stream.
     */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * What we announce as agent: {@code parley/<version>}, the version coming from the jar
     * manifest's {@code Implementation-Version}, or {@code dev} when not run from a jar that has one.
     */
    public static final String AGENT_VERSION = "parley/" + implementationVersion();

    private static final Logger log = LoggerFactory.getLogger(Identify.class);

    private Identify() {}

    /**
     * Asks the peer on an outbound {@link #PROTOCOL_ID} stream who it is: half-closes our side
     * (we send nothing), reads the answer until end of stream and validates it.
     *
     * @throws PeerFaultException if the answer breaks a limit, is malformed, or carries a key that
     *     is not the peer's (the stream is reset)
     * @throws ConnectionClosedException if the stream fails or the answer takes over {@link #TIMEOUT}
     */
    public static IdentifyInfo request(Stream stream) throws IOException {
        return request(stream, TIMEOUT);
    }

    static IdentifyInfo request(Stream stream, Duration timeout) throws IOException {
        return receive(stream, timeout, "identify");
    }

    /**
     * Answers on an inbound {@link #PROTOCOL_ID} stream: writes {@code info} (which should carry
     * this connection's observed address, see {@link IdentifyInfo#withObservedAddr}), then
     * half-closes our side.
     *
     * @throws org.parley.libp2p.core.InternalFaultException if {@code info} cannot be split into
     *     parts that peers accept
     * @throws ConnectionClosedException if the stream fails or writing takes over {@link #TIMEOUT}
     */
    public static void respond(Stream stream, IdentifyInfo info) throws IOException {
        send(stream, info, TIMEOUT, "identify");
    }

    /**
     * Tells the peer on an outbound {@link #PUSH_PROTOCOL_ID} stream what changed: writes
     * {@code info}, whose absent fields the peer keeps as they were, then half-closes our side.
     *
     * @throws org.parley.libp2p.core.InternalFaultException if {@code info} cannot be split into
     *     parts that peers accept
     * @throws ConnectionClosedException if the stream fails or writing takes over {@link #TIMEOUT}
     */
    public static void push(Stream stream, IdentifyInfo info) throws IOException {
        send(stream, info, TIMEOUT, "identify push");
    }

    /**
     * Reads a push on an inbound {@link #PUSH_PROTOCOL_ID} stream until end of stream and
     * validates it. Apply it with {@link IdentifyInfo#updatedBy}: absent fields are unchanged.
     *
     * @throws PeerFaultException as for {@link #request}
     * @throws ConnectionClosedException as for {@link #request}
     */
    public static IdentifyInfo receivePush(Stream stream) throws IOException {
        return receive(stream, TIMEOUT, "identify push");
    }

    /**
     * Checks what {@code remote} said about itself: its public key, if present, must be the key of
     * {@code remote}; a signed peer record that names another peer is dropped with a log line
     * (its signature was verified when it was read), the rest of the info stands.
     *
     * @return {@code info}, without its signed peer record if that was not {@code remote}'s
     * @throws PeerFaultException if the public key belongs to another peer
     */
    public static IdentifyInfo validate(IdentifyInfo info, PeerId remote) throws PeerFaultException {
        if (info.publicKey() != null && !remote.matches(info.publicKey())) {
            throw new PeerFaultException("identify public key belongs to " + PeerId.fromPublicKey(info.publicKey())
                    + ", not to the connected peer " + remote);
        }
        SignedPeerRecord record = info.signedPeerRecord();
        if (record != null && !record.peerId().equals(remote)) {
            log.debug("ignoring the signed peer record in identify from {}: it is signed by {}", remote,
                    record.peerId());
            return info.withoutSignedPeerRecord();
        }
        return info;
    }

    private static IdentifyInfo receive(Stream stream, Duration timeout, String what) throws IOException {
        try (StreamDeadline deadline = StreamDeadline.start(stream, timeout)) {
            try {
                stream.closeWrite();
                return validate(IdentifyCodec.read(stream.in()), stream.remotePeer());
            } catch (PeerFaultException e) {
                stream.reset();
                throw e;
            } catch (IOException e) {
                throw timeoutOr(e, deadline, stream, what, timeout);
            }
        }
    }

    private static void send(Stream stream, IdentifyInfo info, Duration timeout, String what) throws IOException {
        try (StreamDeadline deadline = StreamDeadline.start(stream, timeout)) {
            try {
                IdentifyCodec.write(stream.out(), info);
                stream.out().flush();
                stream.closeWrite();
            } catch (IOException e) {
                throw timeoutOr(e, deadline, stream, what, timeout);
            }
        }
    }

    private static IOException timeoutOr(IOException e, StreamDeadline deadline, Stream stream, String what,
            Duration timeout) {
        if (deadline.expired()) {
            return new ConnectionClosedException(what + " with " + stream.remotePeer() + " did not finish within "
                    + timeout.toMillis() + " ms", e);
        }
        return e;
    }

    private static String implementationVersion() {
        String version = Identify.class.getPackage().getImplementationVersion();
        return version != null && !version.isBlank() ? version : "dev";
    }
}
