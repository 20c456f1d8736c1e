package org.parley.libp2p.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.parley.libp2p.crypto.pb.KeysProtos;

/**
 * Converts keys to and from the libp2p {@code PublicKey}/{@code PrivateKey} protobufs; the only
 * place that touches the generated key classes. Stateless, thread safe.
 */
public final class Keys {

    /** An RSA-4096 DER key is about 550 bytes; nothing legitimate comes near this bound. */
    public static final int MAX_MARSHALLED_KEY_BYTES = 8 * 1024;

    private Keys() {}

    /**
     * Reads a {@code PublicKey} protobuf.
     *
     * @throws InvalidKeyException if the encoding, the type or the key bytes are invalid
     */
    public static PublicKey unmarshalPublic(byte[] bytes) throws InvalidKeyException {
        KeysProtos.PublicKey pb;
        try {
            checkSize(bytes);
            pb = KeysProtos.PublicKey.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidKeyException("malformed PublicKey protobuf: " + e.getMessage(), e);
        }
        byte[] data = pb.getData().toByteArray();
        try {
            return switch (pb.getType()) {
                case Ed25519 -> new Ed25519PublicKey(data);
                case RSA -> RsaPublicKey.fromDer(data);
                case Secp256k1 -> Secp256k1PublicKey.fromCompressed(data);
                case ECDSA -> EcdsaPublicKey.fromDer(data);
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("invalid " + pb.getType() + " public key: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a {@code PrivateKey} protobuf. Only Ed25519 private keys are supported: Parley never
     * signs with other key types.
     */
    public static PrivateKey unmarshalPrivate(byte[] bytes) throws InvalidKeyException {
        KeysProtos.PrivateKey pb;
        try {
            checkSize(bytes);
            pb = KeysProtos.PrivateKey.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidKeyException("malformed PrivateKey protobuf: " + e.getMessage(), e);
        }
        if (pb.getType() != KeysProtos.KeyType.Ed25519) {
            throw new InvalidKeyException("unsupported private key type " + pb.getType() + "; expected Ed25519");
        }
        try {
            return Ed25519PrivateKey.fromData(pb.getData().toByteArray());
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("invalid Ed25519 private key: " + e.getMessage(), e);
        }
    }

    static byte[] marshalPublic(KeyType type, byte[] data) {
        return KeysProtos.PublicKey.newBuilder()
                .setType(KeysProtos.KeyType.forNumber(type.number()))
                .setData(ByteString.copyFrom(data))
                .build()
                .toByteArray();
    }

    static byte[] marshalPrivate(KeyType type, byte[] data) {
        return KeysProtos.PrivateKey.newBuilder()
                .setType(KeysProtos.KeyType.forNumber(type.number()))
                .setData(ByteString.copyFrom(data))
                .build()
                .toByteArray();
    }

    private static void checkSize(byte[] bytes) throws InvalidProtocolBufferException {
        if (bytes.length > MAX_MARSHALLED_KEY_BYTES) {
            throw new InvalidProtocolBufferException(
                    "key of " + bytes.length + " bytes exceeds " + MAX_MARSHALLED_KEY_BYTES);
        }
    }
}
