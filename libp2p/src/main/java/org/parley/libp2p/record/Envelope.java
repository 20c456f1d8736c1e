package org.parley.libp2p.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.parley.libp2p.crypto.InvalidKeyException;
import org.parley.libp2p.crypto.Keys;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiformats.Varint;
import org.parley.libp2p.record.pb.EnvelopeProtos;

/**
 * A signed envelope (libp2p RFC 0002): a typed payload signed by a peer's key for one domain, so
 * that a record can be passed on by others and still be attributed to its author. Immutable and
 * thread safe; only instances whose signature verified exist.
 *
 * <pre>
 *   signed bytes = uvarint(len) ‖ domain (UTF-8) ‖ uvarint(len) ‖ payload_type ‖ uvarint(len) ‖ payload
 * </pre>
 */
public final class Envelope {

    /**
     * The largest envelope accepted. Envelopes travel inside identify messages, which go caps at
     * 8 KiB per part; a peer record with dozens of addresses is under 2 KiB.
     */
    public static final int MAX_BYTES = 8 * 1024;

    private final PublicKey publicKey;
    private final byte[] payloadType;
    private final byte[] payload;
    private final byte[] bytes;

    private Envelope(PublicKey publicKey, byte[] payloadType, byte[] payload, byte[] bytes) {
        this.publicKey = publicKey;
        this.payloadType = payloadType;
        this.payload = payload;
        this.bytes = bytes;
    }

    /**
     * Signs {@code payload} for {@code domain}.
     *
     * @throws IllegalArgumentException if the encoded envelope would exceed {@link #MAX_BYTES}
     */
    public static Envelope seal(PrivateKey key, String domain, byte[] payloadType, byte[] payload) {
        Objects.requireNonNull(domain, "domain");
        byte[] type = payloadType.clone();
        byte[] body = payload.clone();
        byte[] signature = key.sign(signedBytes(domain, type, body));
        byte[] encoded = EnvelopeProtos.Envelope.newBuilder()
                .setPublicKey(ByteString.copyFrom(key.publicKey().marshal()))
                .setPayloadType(ByteString.copyFrom(type))
                .setPayload(ByteString.copyFrom(body))
                .setSignature(ByteString.copyFrom(signature))
                .build()
                .toByteArray();
        if (encoded.length > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "envelope of " + encoded.length + " bytes exceeds the " + MAX_BYTES + "-byte limit");
        }
        return new Envelope(key.publicKey(), type, body, encoded);
    }

    /**
     * Decodes an envelope and verifies its signature for {@code expectedDomain}. The payload is not
     * interpreted; check {@link #payloadType()} before decoding it.
     *
     * @throws InvalidEnvelopeException if the bytes are too long or malformed, the key is invalid,
     *     or the signature does not verify for this domain
     */
    public static Envelope open(byte[] bytes, String expectedDomain) throws InvalidEnvelopeException {
        if (bytes.length > MAX_BYTES) {
            throw new InvalidEnvelopeException(
                    "envelope of " + bytes.length + " bytes exceeds the " + MAX_BYTES + "-byte limit");
        }
        EnvelopeProtos.Envelope pb;
        try {
            pb = EnvelopeProtos.Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidEnvelopeException("malformed envelope protobuf: " + e.getMessage(), e);
        }
        PublicKey key;
        try {
            key = Keys.unmarshalPublic(pb.getPublicKey().toByteArray());
        } catch (InvalidKeyException e) {
            throw new InvalidEnvelopeException("envelope has an invalid public key: " + e.getMessage(), e);
        }
        byte[] type = pb.getPayloadType().toByteArray();
        byte[] payload = pb.getPayload().toByteArray();
        if (!key.verify(signedBytes(expectedDomain, type, payload), pb.getSignature().toByteArray())) {
            throw new InvalidEnvelopeException(
                    "envelope signature does not verify for domain '" + expectedDomain + "'");
        }
        return new Envelope(key, type, payload, bytes.clone());
    }

    /** The bytes the signature covers. */
    static byte[] signedBytes(String domain, byte[] payloadType, byte[] payload) {
        byte[] domainBytes = domain.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                3 * Varint.MAX_BYTES + domainBytes.length + payloadType.length + payload.length);
        for (byte[] part : new byte[][] {domainBytes, payloadType, payload}) {
            out.writeBytes(Varint.encode(part.length));
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The key that signed the envelope. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** The payload's type: a multicodec, written as raw bytes (peer records use {@code 03 01}). */
    public byte[] payloadType() {
        return payloadType.clone();
    }

    /** The signed payload, exactly as received. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The encoded envelope, exactly as received or sealed. */
    public byte[] bytes() {
        return bytes.clone();
    }
}
