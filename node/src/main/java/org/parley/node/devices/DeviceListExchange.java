package org.parley.node.devices;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.parley.chat.identity.InvalidUserIdException;
import org.parley.chat.identity.UserId;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.peer.PeerId;

/**
 * {@code /parley/devices/1.0.0}: a contact asks a device of a user for the user's signed device
 * list ({@link Ask}, answered by {@code u32 length ‖ list}, length 0 for none), and a device tells
 * its contacts a new version ({@link Tell}, answered by nothing). One request per stream:
 * {@code u8 kind ‖ u16 length ‖ user ID text [‖ u32 length ‖ signed list]}. Every length checked
 * before allocation. Stateless.
 */
public final class DeviceListExchange {

    /** The protocol id. */
    public static final String PROTOCOL_ID = "/parley/devices/1.0.0";

    private static final int ASK = 1;
    private static final int TELL = 2;
    private static final int HISTORY_KEY = 3;

    /** A request of this exchange. */
    public sealed interface Request {}

    /** Asks for the list of {@code user}. */
    public record Ask(UserId user) implements Request {}

    /** Tells the list of {@code user}. */
    public record Tell(UserId user, SignedDeviceList list) implements Request {}

    /**
     * Asks a sibling device for {@code user}'s current history key: answered only to a current
     * device of the user (the PeerId the Noise handshake authenticated), by {@code u32 generation
     * ‖ key}, or {@code u32 0} for a refusal. The stream is Noise-encrypted.
     */
    public record AskHistoryKey(UserId user) implements Request {}

    private DeviceListExchange() {}

    /** The request's bytes. */
    public static byte[] encode(Request request) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (request) {
                case Ask a -> {
                    out.writeByte(ASK);
                    writeUser(out, a.user());
                }
                case AskHistoryKey h -> {
                    out.writeByte(HISTORY_KEY);
                    writeUser(out, h.user());
                }
                case Tell t -> {
                    out.writeByte(TELL);
                    writeUser(out, t.user());
                    byte[] list = t.list().encode();
                    out.writeInt(list.length);
                    out.write(list);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeUser(DataOutputStream out, UserId user) throws IOException {
        byte[] text = user.text().getBytes(StandardCharsets.US_ASCII);
        out.writeShort(text.length);
        out.write(text);
    }

    /**
     * Reads one request.
     *
     * @throws PeerFaultException for a malformed one
     * @throws EOFException if the stream ends inside it
     */
    public static Request read(InputStream in) throws IOException {
        try {
            return readRequest(new DataInputStream(in));
        } catch (EOFException e) {
            throw e.getMessage() == null ? new EOFException("a device list request ends early") : e;
        }
    }

    private static Request readRequest(DataInputStream data) throws IOException {
        int kind = data.readUnsignedByte();
        if (kind != ASK && kind != TELL && kind != HISTORY_KEY) {
            throw new PeerFaultException("unknown device list request kind " + kind);
        }
        int length = data.readUnsignedShort();
        if (length > UserId.TEXT_LENGTH) {
            throw new PeerFaultException("a user ID of " + length + " characters; they have " + UserId.TEXT_LENGTH);
        }
        UserId user;
        try {
            user = UserId.parse(new String(data.readNBytes(length), StandardCharsets.US_ASCII));
        } catch (InvalidUserIdException e) {
            throw new PeerFaultException("a device list request names no valid user ID: " + e.getMessage());
        }
        if (kind == ASK) {
            return new Ask(user);
        }
        if (kind == HISTORY_KEY) {
            return new AskHistoryKey(user);
        }
        return new Tell(user, readList(data).orElseThrow(() -> new PeerFaultException("a told device list is empty")));
    }

    /** A length-prefixed list; empty for length 0. */
    static Optional<SignedDeviceList> readList(DataInputStream data) throws IOException {
        int length;
        try {
            length = data.readInt();
        } catch (EOFException e) {
            throw new EOFException("a device list answer ends inside its length");
        }
        if (length < 0 || length > SignedDeviceList.MAX_BYTES) {
            throw new PeerFaultException("a device list of " + Integer.toUnsignedString(length) + " bytes; at most "
                    + SignedDeviceList.MAX_BYTES);
        }
        if (length == 0) {
            return Optional.empty();
        }
        byte[] bytes = data.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("a device list ends after " + bytes.length + " of " + length + " bytes");
        }
        return Optional.of(SignedDeviceList.decode(bytes));
    }

    /**
     * Asks {@code peer} for {@code user}'s list and verifies it against the user's identity key.
     *
     * @return empty if the peer holds none
     * @throws PeerFaultException if the answer is malformed or not signed by the user
     */
    public static Optional<SignedDeviceList> ask(Host host, PeerId peer, UserId user) throws IOException {
        Stream stream = host.newStream(peer, PROTOCOL_ID);
        try (LinkTimeout timeout = new LinkTimeout(stream)) {
            stream.out().write(encode(new Ask(user)));
            stream.out().flush();
            stream.closeWrite();
            Optional<SignedDeviceList> list = readList(new DataInputStream(stream.in()));
            if (list.isPresent() && !list.get().verify(user.identityKey())) {
                stream.reset();
                throw new PeerFaultException("the device list " + peer + " gave for " + user + " is not signed by it");
            }
            return list;
        } finally {
            stream.close();
        }
    }

    /**
     * Asks the sibling {@code peer} for {@code user}'s current history key.
     *
     * @return empty if it refused (it does not count this device as current)
     */
    public static Optional<DeviceStore.HistoryKey> askHistoryKey(Host host, PeerId peer, UserId user)
            throws IOException {
        Stream stream = host.newStream(peer, PROTOCOL_ID);
        try (LinkTimeout timeout = new LinkTimeout(stream)) {
            stream.out().write(encode(new AskHistoryKey(user)));
            stream.out().flush();
            stream.closeWrite();
            DataInputStream in = new DataInputStream(stream.in());
            int generation = in.readInt();
            if (generation == 0) {
                return Optional.empty();
            }
            if (generation < 0) {
                throw new PeerFaultException("a history key generation of " + generation);
            }
            byte[] key = in.readNBytes(LinkCodec.HISTORY_KEY_BYTES);
            if (key.length != LinkCodec.HISTORY_KEY_BYTES) {
                throw new EOFException("a history key answer ends early");
            }
            return Optional.of(new DeviceStore.HistoryKey(generation, key));
        } finally {
            stream.close();
        }
    }

    /** Tells {@code peer} the list of {@code user}. */
    public static void tell(Host host, PeerId peer, UserId user, SignedDeviceList list) throws IOException {
        Stream stream = host.newStream(peer, PROTOCOL_ID);
        try (LinkTimeout timeout = new LinkTimeout(stream)) {
            stream.out().write(encode(new Tell(user, list)));
            stream.out().flush();
            stream.closeWrite();
            stream.in().read();
        } finally {
            stream.close();
        }
    }
}
