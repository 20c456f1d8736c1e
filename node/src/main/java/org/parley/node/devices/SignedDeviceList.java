package org.parley.node.devices;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.parley.libp2p.core.PeerFaultException;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * A {@link DeviceList} with the user's identity key's signature over
 * {@code "parley/devices/v1" ‖ identity public key ‖ list encoding}, so a list cannot be forged nor
 * passed off as another user's. On the wire: {@code u16 length ‖ list ‖ u8 length ‖ signature}.
 * Immutable.
 */
public record SignedDeviceList(DeviceList list, byte[] signature) {

    /** libsignal's XEdDSA signatures are 64 bytes; the length byte leaves room, the check keeps it tight. */
    public static final int SIGNATURE_BYTES = 64;

    /** The largest encoding: the list's maximum and the signature with their lengths. */
    public static final int MAX_BYTES = 2 + DeviceList.MAX_BYTES + 1 + SIGNATURE_BYTES;

    private static final byte[] DOMAIN = "parley/devices/v1".getBytes(StandardCharsets.US_ASCII);

    public SignedDeviceList {
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** {@code list} signed by {@code identity}. */
    public static SignedDeviceList sign(DeviceList list, IdentityKeyPair identity) {
        byte[] message = signed(identity.getPublicKey(), list.encode());
        return new SignedDeviceList(list, identity.getPrivateKey().calculateSignature(message));
    }

    /** Whether {@code identity} made the signature. */
    public boolean verify(IdentityKey identity) {
        return identity.getPublicKey().verifySignature(signed(identity, list.encode()), signature);
    }

    /** The wire encoding. */
    public byte[] encode() {
        byte[] body = list.encode();
        ByteBuffer out = ByteBuffer.allocate(2 + body.length + 1 + signature.length);
        out.putShort((short) body.length).put(body).put((byte) signature.length).put(signature);
        return out.array();
    }

    /**
     * Reads the wire encoding; the signature is checked by {@link #verify}, not here.
     *
     * @throws PeerFaultException for anything malformed or over a limit
     */
    public static SignedDeviceList decode(byte[] bytes) throws PeerFaultException {
        if (bytes.length > MAX_BYTES) {
            throw new PeerFaultException("a signed device list of " + bytes.length + " bytes exceeds " + MAX_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int length = Short.toUnsignedInt(in.getShort());
            if (length > in.remaining()) {
                throw new PeerFaultException("a signed device list ends inside its list");
            }
            byte[] body = new byte[length];
            in.get(body);
            int signatureLength = Byte.toUnsignedInt(in.get());
            if (signatureLength != SIGNATURE_BYTES || in.remaining() != SIGNATURE_BYTES) {
                throw new PeerFaultException("a device list signature has " + SIGNATURE_BYTES + " bytes and ends the"
                        + " message");
            }
            byte[] signature = new byte[SIGNATURE_BYTES];
            in.get(signature);
            return new SignedDeviceList(DeviceList.decode(body), signature);
        } catch (BufferUnderflowException e) {
            throw new PeerFaultException("a signed device list ends early");
        }
    }

    private static byte[] signed(IdentityKey identity, byte[] body) {
        byte[] key = identity.serialize();
        ByteBuffer out = ByteBuffer.allocate(DOMAIN.length + key.length + body.length);
        return out.put(DOMAIN).put(key).put(body).array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedDeviceList other && list.equals(other.list)
                && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return list.hashCode() * 31 + Arrays.hashCode(signature);
    }
}
