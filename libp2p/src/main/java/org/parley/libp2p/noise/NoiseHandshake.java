package org.parley.libp2p.noise;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.InvalidKeyException;
import org.parley.libp2p.crypto.Keys;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.peer.PeerId;

/**
 * The libp2p layer of the Noise XX handshake (libp2p/specs noise/README.md): which payload goes in
 * which message, how the peer's identity is authenticated, and the inlined muxer choice. It sees
 * bare Noise messages and never touches the connection.
 *
 * <pre>
 *   initiator                                   responder
 *   write 1: e, empty payload        ---->      read 1: payload ignored
 *   read 2:  verify responder        <----      write 2: e, ee, s, es, payload_R
 *   write 3: s, se, payload_I        ---->      read 3: verify initiator
 * </pre>
 *
 * <p>Threading: not thread safe; one handshake, one thread at a time.
 */
final class NoiseHandshake {

    /** The domain separator of the identity signature over the Noise static key. */
    static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);

    /** What a finished handshake yields: the authenticated peer and the transport keys. */
    record Result(
            PeerId remotePeer,
            PublicKey remoteKey,
            List<String> remoteMuxers,
            String earlyMuxer,
            HandshakeState.TransportCiphers ciphers) {}

    private final HandshakeState noise;
    private final byte[] localPayload;
    private final List<String> localMuxers;
    private final PeerId expectedPeer;
    private PublicKey remoteKey;
    private PeerId remotePeer;
    private List<String> remoteMuxers = List.of();

    /**
     * @param localPayload our encoded {@link NoiseHandshakePayload}, sent in message 2 or 3
     * @param expectedPeer the peer the initiator dialed, or null to accept anyone
     */
    NoiseHandshake(HandshakeState noise, byte[] localPayload, List<String> localMuxers, PeerId expectedPeer) {
        this.noise = noise;
        this.localPayload = localPayload;
        this.localMuxers = List.copyOf(localMuxers);
        this.expectedPeer = expectedPeer;
    }

    /** {@code identity_sig}: our identity key signs the Noise static public key. */
    static byte[] signStaticKey(PrivateKey identity, byte[] staticPublicKey) {
        return identity.sign(signedData(staticPublicKey));
    }

    /** The encoded payload announcing {@code identity} and {@code muxers}. */
    static byte[] encodePayload(PrivateKey identity, byte[] identitySig, List<String> muxers) {
        return new NoiseHandshakePayload(identity.publicKey().marshal(), identitySig, List.of(), muxers).toWire();
    }

    boolean isMyTurn() {
        return noise.isMyTurn();
    }

    boolean isComplete() {
        return noise.isComplete();
    }

    /** The 1-based number of the next message, for error messages. */
    int nextMessageNumber() {
        return noise.nextMessageNumber();
    }

    /** The next message to send: message 1 has an empty payload, messages 2 and 3 carry ours. */
    byte[] writeMessage() throws PeerFaultException {
        boolean first = noise.nextMessageNumber() == 1;
        return noise.writeMessage(first ? new byte[0] : localPayload);
    }

    /**
     * Reads the peer's next message. Message 1's payload is dropped unread (it would be
     * unauthenticated early data); messages 2 and 3 must prove the sender's identity.
     *
     * @throws PeerFaultException if the message is malformed, fails authentication, or comes from
     *     another peer than expected
     */
    void readMessage(byte[] in, int off, int len) throws PeerFaultException {
        int number = noise.nextMessageNumber();
        int payloadBytes = len - noise.minNextMessageBytes();
        if (payloadBytes > NoiseHandshakePayload.MAX_BYTES) {
            throw new PeerFaultException("Noise handshake message " + number + " carries a payload of "
                    + payloadBytes + " bytes, above the " + NoiseHandshakePayload.MAX_BYTES + "-byte limit");
        }
        byte[] payload = noise.readMessage(in, off, len);
        if (number > 1) {
            authenticate(NoiseHandshakePayload.fromWire(payload), noise.remoteStatic());
        }
    }

    /**
     * Splits the keys and settles the muxer once all three messages have passed.
     *
     * @throws PeerFaultException if both sides listed muxers but none in common
     */
    Result finish() throws PeerFaultException {
        if (!noise.isComplete()) {
            throw new IllegalStateException("Noise handshake finished before message " + nextMessageNumber());
        }
        String earlyMuxer = noise.isInitiator()
                ? InlinedMuxerNegotiation.select(localMuxers, remoteMuxers)
                : InlinedMuxerNegotiation.select(remoteMuxers, localMuxers);
        return new Result(remotePeer, remoteKey, remoteMuxers, earlyMuxer, noise.split());
    }

    private void authenticate(NoiseHandshakePayload payload, byte[] remoteStatic) throws PeerFaultException {
        PublicKey key;
        try {
            key = Keys.unmarshalPublic(payload.identityKey());
        } catch (InvalidKeyException e) {
            throw new PeerFaultException("Noise handshake identity_key is invalid: " + e.getMessage(), e);
        }
        PeerId peer = PeerId.fromPublicKey(key);
        if (!key.verify(signedData(remoteStatic), payload.identitySig())) {
            throw new PeerFaultException("Noise handshake identity_sig of peer " + peer
                    + " does not sign its Noise static key");
        }
        if (expectedPeer != null && !expectedPeer.equals(peer)) {
            throw new PeerFaultException("remote peer is " + peer + ", expected " + expectedPeer);
        }
        remoteKey = key;
        remotePeer = peer;
        remoteMuxers = payload.streamMuxers();
    }

    private static byte[] signedData(byte[] staticPublicKey) {
        byte[] data = Arrays.copyOf(SIGNATURE_PREFIX, SIGNATURE_PREFIX.length + staticPublicKey.length);
        System.arraycopy(staticPublicKey, 0, data, SIGNATURE_PREFIX.length, staticPublicKey.length);
        return data;
    }
}
