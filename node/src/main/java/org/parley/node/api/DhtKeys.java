package org.parley.node.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.parley.dht.UserRendezvous;
import org.parley.dht.record.ParleyRecord;
import org.parley.dht.record.PublicKeyValidator;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.multiformats.Multibase;
import org.parley.libp2p.multiformats.Multihash;
import org.parley.libp2p.multiformats.Varint;
import org.parley.libp2p.peer.PeerId;

/**
 * Reads the DHT keys users type into the binary keys the DHT uses. Provider keys are multihashes,
 * typed as a CID ({@code bafy...}), a base58 multihash ({@code Qm...}) or {@code self} (this
 * node's rendezvous key). Record keys are {@code /pk/<PeerId>} and {@code /parley/<PeerId>/<name>},
 * where {@code self} may stand for this node's PeerId. Stateless; errors are 400 answers.
 */
final class DhtKeys {

    /** A provider key and its canonical text (base58btc of the multihash). */
    record ProviderKey(byte[] bytes, String text) {}

    /** A record key, its canonical text, and for /parley/ keys the record's name. */
    record RecordKey(byte[] bytes, String text, String namespace, PeerId peer, String name) {}

    static final String SELF = "self";
    private static final int CID_VERSION_1 = 1;

    private DhtKeys() {}

    static ProviderKey providerKey(String text, PeerId self, byte[] selfPublicKey) {
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
            throw ApiException.badRequest("cannot read key '" + s + "': " + e.getMessage() + "; " + expected);
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
            throw ApiException.badRequest("key '" + s + "' is neither a CID nor a multihash (" + e.getMessage()
                    + "); " + expected);
        }
    }

    static RecordKey recordKey(String text, PeerId self) {
        String s = text.strip();
        String expected = "a record key is /pk/<PeerId> or /parley/<PeerId>/<name> ('self' for this node's PeerId)";
        if (!s.startsWith("/")) {
            throw ApiException.badRequest("record key '" + s + "' does not start with '/'; " + expected);
        }
        String[] parts = s.substring(1).split("/", 3);
        if (parts.length < 2) {
            throw ApiException.badRequest("record key '" + s + "' has no PeerId; " + expected);
        }
        String namespace = parts[0];
        PeerId peer = parts[1].equals(SELF) ? self : NodeRoutes.parsePeerId(parts[1]);
        switch (namespace) {
            case PublicKeyValidator.NAMESPACE -> {
                if (parts.length != 2) {
                    throw ApiException.badRequest("record key '" + s + "': a /pk/ key ends after the PeerId");
                }
                return new RecordKey(PublicKeyValidator.keyFor(peer), "/pk/" + peer, namespace, peer, null);
            }
            case ParleyRecord.NAMESPACE -> {
                if (parts.length != 3 || parts[2].isEmpty()) {
                    throw ApiException.badRequest("record key '" + s + "' has no name; " + expected);
                }
                try {
                    return new RecordKey(ParleyRecord.keyFor(peer, parts[2]), "/parley/" + peer + "/" + parts[2],
                            namespace, peer, parts[2]);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("record key '" + s + "': " + e.getMessage());
                }
            }
            default -> throw ApiException.badRequest("unknown record namespace '" + namespace + "'; " + expected);
        }
    }

    /** {@code bytes} as text if they are valid UTF-8, else null. */
    static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
