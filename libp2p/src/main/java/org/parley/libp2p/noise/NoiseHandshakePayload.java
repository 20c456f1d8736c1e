package org.parley.libp2p.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.noise.pb.NoiseProtos;

/**
 * The libp2p payload of Noise handshake messages 2 and 3: the sender's identity key, its
 * signature over the Noise static key, and the optional extensions. The only place that touches
 * the generated {@code NoiseProtos} classes.
 *
 * <p>Immutable by convention: the byte arrays are not copied, callers do not modify them.
 *
 * @param identityKey the sender's {@code PublicKey} protobuf
 * @param identitySig {@code Sign(identity, "noise-libp2p-static-key:" ‖ static public key)}
 * @param webtransportCerthashes multihashes of WebTransport certificates (empty when absent)
 * @param streamMuxers muxers for inlined negotiation, in preference order (empty when absent)
 */
record NoiseHandshakePayload(
        byte[] identityKey, byte[] identitySig, List<byte[]> webtransportCerthashes, List<String> streamMuxers) {

    /**
     * Bound on a received payload before parsing. An RSA-4096 identity key and its signature take
     * about 1.1 KiB, the muxer list a few dozen bytes; go-libp2p and rust-libp2p send under 1 KiB.
     */
    static final int MAX_BYTES = 8 * 1024;

    NoiseHandshakePayload {
        webtransportCerthashes = List.copyOf(webtransportCerthashes);
        streamMuxers = List.copyOf(streamMuxers);
    }

    /**
     * Encodes the payload. Fields go out in number order (1, 2, 4) and the extensions message is
     * omitted when it would be empty, as go-libp2p and js-libp2p do.
     */
    byte[] toWire() {
        NoiseProtos.NoiseHandshakePayload.Builder pb = NoiseProtos.NoiseHandshakePayload.newBuilder()
                .setIdentityKey(ByteString.copyFrom(identityKey))
                .setIdentitySig(ByteString.copyFrom(identitySig));
        if (!webtransportCerthashes.isEmpty() || !streamMuxers.isEmpty()) {
            NoiseProtos.NoiseExtensions.Builder ext = NoiseProtos.NoiseExtensions.newBuilder();
            webtransportCerthashes.forEach(h -> ext.addWebtransportCerthashes(ByteString.copyFrom(h)));
            ext.addAllStreamMuxers(streamMuxers);
            pb.setExtensions(ext);
        }
        return pb.build().toByteArray();
    }

    /**
     * Decodes a payload received in the handshake.
     *
     * @throws PeerFaultException if it is larger than {@link #MAX_BYTES}, malformed, or lacks the
     *     identity key or signature
     */
    static NoiseHandshakePayload fromWire(byte[] bytes) throws PeerFaultException {
        if (bytes.length > MAX_BYTES) {
            throw new PeerFaultException("Noise handshake payload of " + bytes.length
                    + " bytes exceeds the " + MAX_BYTES + "-byte limit");
        }
        NoiseProtos.NoiseHandshakePayload pb;
        try {
            pb = NoiseProtos.NoiseHandshakePayload.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new PeerFaultException("malformed Noise handshake payload: " + e.getMessage(), e);
        }
        if (!pb.hasIdentityKey() || pb.getIdentityKey().isEmpty()) {
            throw new PeerFaultException("Noise handshake payload lacks identity_key");
        }
        if (!pb.hasIdentitySig() || pb.getIdentitySig().isEmpty()) {
            throw new PeerFaultException("Noise handshake payload lacks identity_sig");
        }
        NoiseProtos.NoiseExtensions ext = pb.getExtensions();
        return new NoiseHandshakePayload(
                pb.getIdentityKey().toByteArray(),
                pb.getIdentitySig().toByteArray(),
                ext.getWebtransportCerthashesList().stream().map(ByteString::toByteArray).toList(),
                List.copyOf(ext.getStreamMuxersList()));
    }
}
