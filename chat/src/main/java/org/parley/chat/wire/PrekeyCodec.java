package org.parley.chat.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalInt;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.pb.PrekeyProtos;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.LengthPrefixed;

/**
 * Converts prekey requests and answers to and from their protobufs and frames them on
 * {@code /parley/prekeys/1.0.0}: the only class that touches their generated classes. Stateless,
 * thread safe.
 *
 * <pre>
 *   stream        = request answer                 one exchange per stream; each side then closes
 *   request       = uvarint(length) ‖ PrekeyRequest   length ≤ MAX_REQUEST_BYTES
 *   PrekeyRequest = identity_key(1, 33 bytes)
 *   answer        = uvarint(length) ‖ PrekeyAnswer    length ≤ MAX_ANSWER_BYTES
 *   PrekeyAnswer  = oneof { bundle(1, PrekeyBundle) unknown_identity(2, bool) }
 *   PrekeyBundle  = registration_id(1) device_id(2) identity_key(3, 33) signed_prekey_id(4)
 *                   signed_prekey(5, 33) signed_prekey_signature(6, 64) [one_time_prekey_id(7)
 *                   one_time_prekey(8, 33)] kyber_prekey_id(9) kyber_prekey(10, 1569)
 *                   kyber_prekey_signature(11, 64)
 * </pre>
 *
 * one_time_prekey_id is a proto3 {@code optional}, so "no one-time prekey" is told apart from id 0.
 */
public final class PrekeyCodec {

    /** A request: one 33-byte key and its tag and length. */
    public static final int MAX_REQUEST_BYTES = 64;

    /** An answer: a bundle is about 1,900 bytes (most of it the Kyber key); 4 KiB leaves room for growth. */
    public static final int MAX_ANSWER_BYTES = 4096;

    private PrekeyCodec() {}

    public static byte[] encodeRequest(PrekeyRequest request) {
        return PrekeyProtos.PrekeyRequest.newBuilder()
                .setIdentityKey(ByteString.copyFrom(request.identity().serializedKey()))
                .build().toByteArray();
    }

    /** @throws PeerFaultException if the request is too large, malformed or names no valid identity key */
    public static PrekeyRequest decodeRequest(byte[] bytes) throws PeerFaultException {
        if (bytes.length > MAX_REQUEST_BYTES) {
            throw new PeerFaultException("prekey request of " + bytes.length + " bytes exceeds the "
                    + MAX_REQUEST_BYTES + "-byte limit");
        }
        PrekeyProtos.PrekeyRequest pb;
        try {
            pb = PrekeyProtos.PrekeyRequest.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new PeerFaultException("malformed prekey request: " + e.getMessage(), e);
        }
        return new PrekeyRequest(identity(pb.getIdentityKey(), "prekey request identity key"));
    }

    public static byte[] encodeAnswer(PrekeyAnswer answer) {
        PrekeyProtos.PrekeyAnswer.Builder pb = PrekeyProtos.PrekeyAnswer.newBuilder();
        switch (answer) {
            case PrekeyAnswer.UnknownIdentity u -> pb.setUnknownIdentity(true);
            case PrekeyAnswer.Bundle(PrekeyBundleMessage b) -> {
                PrekeyProtos.PrekeyBundle.Builder bundle = PrekeyProtos.PrekeyBundle.newBuilder()
                        .setRegistrationId(b.registrationId())
                        .setDeviceId(b.deviceId())
                        .setIdentityKey(ByteString.copyFrom(b.identity().serializedKey()))
                        .setSignedPrekeyId(b.signedPrekeyId())
                        .setSignedPrekey(ByteString.copyFrom(b.signedPrekey()))
                        .setSignedPrekeySignature(ByteString.copyFrom(b.signedPrekeySignature()))
                        .setKyberPrekeyId(b.kyberPrekeyId())
                        .setKyberPrekey(ByteString.copyFrom(b.kyberPrekey()))
                        .setKyberPrekeySignature(ByteString.copyFrom(b.kyberPrekeySignature()));
                if (b.oneTimePrekeyId().isPresent()) {
                    bundle.setOneTimePrekeyId(b.oneTimePrekeyId().getAsInt())
                            .setOneTimePrekey(ByteString.copyFrom(b.oneTimePrekey()));
                }
                pb.setBundle(bundle);
            }
        }
        return pb.build().toByteArray();
    }

    /**
     * @throws PeerFaultException naming the first thing wrong: size, protobuf, an empty answer, or
     *     a bundle field out of range or of the wrong length
     */
    public static PrekeyAnswer decodeAnswer(byte[] bytes) throws PeerFaultException {
        if (bytes.length > MAX_ANSWER_BYTES) {
            throw new PeerFaultException("prekey answer of " + bytes.length + " bytes exceeds the "
                    + MAX_ANSWER_BYTES + "-byte limit");
        }
        PrekeyProtos.PrekeyAnswer pb;
        try {
            pb = PrekeyProtos.PrekeyAnswer.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new PeerFaultException("malformed prekey answer: " + e.getMessage(), e);
        }
        return switch (pb.getAnswerCase()) {
            case UNKNOWN_IDENTITY -> new PrekeyAnswer.UnknownIdentity();
            case BUNDLE -> new PrekeyAnswer.Bundle(bundle(pb.getBundle()));
            case ANSWER_NOT_SET -> throw new PeerFaultException("prekey answer holds neither a bundle nor unknown_identity");
        };
    }

    private static PrekeyBundleMessage bundle(PrekeyProtos.PrekeyBundle pb) throws PeerFaultException {
        UserId identity = identity(pb.getIdentityKey(), "prekey bundle identity key");
        OptionalInt oneTimeId = pb.hasOneTimePrekeyId() ? OptionalInt.of(pb.getOneTimePrekeyId()) : OptionalInt.empty();
        try {
            return new PrekeyBundleMessage(pb.getRegistrationId(), pb.getDeviceId(), identity,
                    pb.getSignedPrekeyId(), pb.getSignedPrekey().toByteArray(),
                    pb.getSignedPrekeySignature().toByteArray(), oneTimeId, pb.getOneTimePrekey().toByteArray(),
                    pb.getKyberPrekeyId(), pb.getKyberPrekey().toByteArray(),
                    pb.getKyberPrekeySignature().toByteArray());
        } catch (IllegalArgumentException e) {
            throw new PeerFaultException("invalid prekey bundle: " + e.getMessage(), e);
        }
    }

    /** Reads one length-prefixed request; null if the stream ended cleanly before it. */
    public static PrekeyRequest readRequest(InputStream in) throws IOException {
        byte[] bytes = LengthPrefixed.read(in, MAX_REQUEST_BYTES);
        return bytes == null ? null : decodeRequest(bytes);
    }

    /** Reads one length-prefixed answer; null if the stream ended cleanly before it. */
    public static PrekeyAnswer readAnswer(InputStream in) throws IOException {
        byte[] bytes = LengthPrefixed.read(in, MAX_ANSWER_BYTES);
        return bytes == null ? null : decodeAnswer(bytes);
    }

    public static void writeRequest(OutputStream out, PrekeyRequest request) throws IOException {
        LengthPrefixed.write(out, encodeRequest(request));
        out.flush();
    }

    public static void writeAnswer(OutputStream out, PrekeyAnswer answer) throws IOException {
        LengthPrefixed.write(out, encodeAnswer(answer));
        out.flush();
    }

    /** A serialized identity key from the wire: 33 bytes starting with 0x05. */
    static UserId identity(ByteString raw, String what) throws PeerFaultException {
        if (raw.size() != UserId.KEY_BYTES + 1 || raw.byteAt(0) != UserId.KEY_TYPE_DJB) {
            throw new PeerFaultException(what + " of " + raw.size() + " bytes is not a 33-byte key starting with 0x05");
        }
        return UserId.fromSerializedKey(raw.toByteArray());
    }
}
