package org.parley.node.devices;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * A one-time device link code: the existing device's PeerId, the addresses it can be dialed at,
 * and a random secret that only the person who saw the code knows. As text it is
 * {@code parley-link:} and base64url of {@code version ‖ PeerId ‖ secret ‖ addresses ‖ checksum},
 * the checksum (4 bytes of SHA-256) catching a mistyped code before anything is dialed. Immutable.
 */
public record LinkCode(PeerId device, List<Multiaddr> addresses, byte[] secret) {

    /** What every link code's text begins with. */
    public static final String PREFIX = "parley-link:";

    /** 256 bits: guessing is hopeless, and each guess costs a round trip to one device. */
    public static final int SECRET_BYTES = 32;

    /** Bytes of the code id the new device names the code by: enough that two live codes never collide. */
    public static final int ID_BYTES = 16;

    /** A code fits a QR code and a terminal line: a handful of addresses is plenty for a LAN or loopback. */
    public static final int MAX_ADDRESSES = 8;

    /** Bounds the text before it is decoded: 8 addresses of at most 128 bytes and the rest fit. */
    public static final int MAX_TEXT_LENGTH = 2048;

    /** Addresses longer than this are not ones a code carries (relayed circuits are longer; they stay out). */
    static final int MAX_ADDRESS_BYTES = 128;

    private static final int VERSION = 1;
    private static final int CHECKSUM_BYTES = 4;
    private static final byte[] ID_DOMAIN = "parley/link/id/v1".getBytes(StandardCharsets.US_ASCII);

    public LinkCode {
        addresses = List.copyOf(addresses);
        secret = secret.clone();
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("a link secret has " + SECRET_BYTES + " bytes");
        }
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("a link code carries at most " + MAX_ADDRESSES + " addresses");
        }
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** The id the existing device finds this code by: a hash of the secret, so it reveals nothing of it. */
    public byte[] id() {
        return id(secret);
    }

    static byte[] id(byte[] secret) {
        MessageDigest sha = sha256();
        sha.update(ID_DOMAIN);
        sha.update(secret);
        return Arrays.copyOf(sha.digest(), ID_BYTES);
    }

    /** The code as text. */
    public String format() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            byte[] peer = device.bytes();
            out.writeByte(peer.length);
            out.write(peer);
            out.write(secret);
            out.writeByte(addresses.size());
            for (Multiaddr a : addresses) {
                byte[] raw = a.bytes();
                out.writeByte(raw.length);
                out.write(raw);
            }
            out.flush();
            byte[] body = bytes.toByteArray();
            out.write(checksum(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /** Keeps the addresses a code can carry: at most {@link #MAX_ADDRESSES}, none too long. */
    public static List<Multiaddr> fitting(List<Multiaddr> addresses) {
        return addresses.stream().filter(a -> a.bytes().length <= MAX_ADDRESS_BYTES).limit(MAX_ADDRESSES).toList();
    }

    /**
     * Reads a code's text (surrounding blanks ignored).
     *
     * @throws LinkException MALFORMED, with a message saying what to do, for anything that is not a code
     */
    public static LinkCode parse(String text) throws LinkException {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.length() > MAX_TEXT_LENGTH || !trimmed.startsWith(PREFIX)) {
            throw malformed();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(trimmed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        if (raw.length < 1 + CHECKSUM_BYTES) {
            throw malformed();
        }
        byte[] body = Arrays.copyOf(raw, raw.length - CHECKSUM_BYTES);
        byte[] sum = Arrays.copyOfRange(raw, raw.length - CHECKSUM_BYTES, raw.length);
        if (!MessageDigest.isEqual(sum, checksum(body))) {
            throw malformed();
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            if (Byte.toUnsignedInt(in.get()) != VERSION) {
                throw new LinkException(LinkException.Reason.MALFORMED, "this link code was made by another"
                        + " version of Parley: update both devices to the same version, then make a new code");
            }
            PeerId peer = PeerId.fromBytes(take(in, Byte.toUnsignedInt(in.get())));
            byte[] secret = take(in, SECRET_BYTES);
            int count = Byte.toUnsignedInt(in.get());
            if (count > MAX_ADDRESSES) {
                throw malformed();
            }
            List<Multiaddr> addresses = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                addresses.add(Multiaddr.fromBytes(take(in, Byte.toUnsignedInt(in.get()))));
            }
            if (in.hasRemaining()) {
                throw malformed();
            }
            return new LinkCode(peer, addresses, secret);
        } catch (java.nio.BufferUnderflowException | PeerFaultException | IllegalArgumentException e) {
            throw malformed();
        }
    }

    private static byte[] take(ByteBuffer in, int length) {
        if (length > in.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }

    private static LinkException malformed() {
        return new LinkException(LinkException.Reason.MALFORMED, LinkException.explain(LinkException.Reason.MALFORMED));
    }

    private static byte[] checksum(byte[] body) {
        return Arrays.copyOf(sha256().digest(body), CHECKSUM_BYTES);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkCode other && device.equals(other.device) && addresses.equals(other.addresses)
                && Arrays.equals(secret, other.secret);
    }

    @Override
    public int hashCode() {
        return device.hashCode() * 31 + Arrays.hashCode(secret);
    }

    /** Names the device only: the secret never reaches a log line. */
    @Override
    public String toString() {
        return "LinkCode[device=" + device + ", addresses=" + addresses.size() + "]";
    }
}
