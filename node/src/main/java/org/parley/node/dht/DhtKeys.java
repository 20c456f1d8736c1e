package org.parley.node.dht;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.parley.dht.record.ParleyRecord;
import org.parley.dht.record.PublicKeyValidator;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.multiformats.Multibase;
import org.parley.libp2p.multiformats.Multihash;
import org.parley.libp2p.multiformats.Varint;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.identity.UserRendezvous;
import org.parley.node.service.ServiceException;
import org.parley.node.service.UserInput;

/**
 * Reads the DHT keys users type into the binary keys the DHT uses. Provider keys are multihashes,
 * typed as a CID ({@code bafy...}), a base58 multihash ({@code Qm...}) or {@code self} (this
 * node's rendezvous key). Record keys are {@code /pk/<PeerId>} and {@code /parley/<PeerId>/<name>},
 * where {@code self} may stand for this node's PeerId. Stateless; errors are
 * {@link ServiceException.Kind#BAD_INPUT}.
 */
public final class DhtKeys {

    /** A provider key and its canonical text (base58btc of the multihash). */
    public record ProviderKey(byte[] bytes, String text) {}

    /** A record key, its canonical text, and for /parley/ keys the record's name. */
    public record RecordKey(byte[] bytes, String text, String namespace, PeerId peer, String name) {}

    public static final String SELF = "self";
    private static final int CID_VERSION_1 = 1;

    private DhtKeys() {}

    public static ProviderKey providerKey(String text, PeerId self, byte[] selfPublicKey) {
        String s = text.strip();
        byte[] multihash;
        if (s.equals(SELF)) {
            multihash = UserRendezvous.key(selfPublicKey);
        } else {
            multihash = decodeProviderKey(s);
        }
        return new ProviderKey(multihash, Base58.encode(multihash));
    }

    private static byte[] decodeProviderKey(String s) {
        String expected = "a provider key is a CID (bafy...), a base58 multihash (Qm...) or 'self'";
        byte[] bytes;
        try {
            bytes = s.startsWith("Qm") || s.startsWith("1") ? Base58.decode(s) : Multibase.decode(s);
        } catch (IllegalArgumentException e) {
            throw ServiceException.badInput("cannot read key '" + s + "': " + e.getMessage() + "; " + expected);
        }
        try {
            if (bytes.length > 0 && bytes[0] == CID_VERSION_1) {
                ByteBuffer in = ByteBuffer.wrap(bytes);
                Varint.read(in);
                Varint.read(in);
                byte[] rest = new byte[in.remaining()];
                in.get(rest);
                return Multihash.decode(rest).bytes();
            }
            return Multihash.decode(bytes).bytes();
        } catch (PeerFaultException | RuntimeException e) {
            throw ServiceException.badInput("key '" + s + "' is neither a CID nor a multihash (" + e.getMessage()
                    + "); " + expected);
        }
    }

    public static RecordKey recordKey(String text, PeerId self) {
        String s = text.strip();
        String expected = "a record key is /pk/<PeerId> or /parley/<PeerId>/<name> ('self' for this node's PeerId)";
        if (!s.startsWith("/")) {
            throw ServiceException.badInput("record key '" + s + "' does not start with '/'; " + expected);
        }
        String[] parts = s.substring(1).split("/", 3);
        String namespace = parts[0];
        if (!namespace.equals(PublicKeyValidator.NAMESPACE) && !namespace.equals(ParleyRecord.NAMESPACE)) {
            // Checked before the PeerId: "bad PeerId 'key'" would send the user after the wrong part.
            throw ServiceException.badInput("unknown record namespace '" + namespace + "'; " + expected);
        }
        if (parts.length < 2) {
            throw ServiceException.badInput("record key '" + s + "' has no PeerId; " + expected);
        }
        PeerId peer = parts[1].equals(SELF) ? self : UserInput.peerId(parts[1]);
        switch (namespace) {
            case PublicKeyValidator.NAMESPACE -> {
                if (parts.length != 2) {
                    throw ServiceException.badInput("record key '" + s + "': a /pk/ key ends after the PeerId");
                }
                return new RecordKey(PublicKeyValidator.keyFor(peer), "/pk/" + peer, namespace, peer, null);
            }
            case ParleyRecord.NAMESPACE -> {
                if (parts.length != 3 || parts[2].isEmpty()) {
                    throw ServiceException.badInput("record key '" + s + "' has no name; " + expected);
                }
                try {
                    return new RecordKey(ParleyRecord.keyFor(peer, parts[2]), "/parley/" + peer + "/" + parts[2],
                            namespace, peer, parts[2]);
                } catch (IllegalArgumentException e) {
                    throw ServiceException.badInput("record key '" + s + "': " + e.getMessage());
                }
            }
            default -> throw ServiceException.badInput("unknown record namespace '" + namespace + "'; " + expected);
        }
    }

    /** {@code bytes} as text if they are valid UTF-8, else null. */
    public static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
