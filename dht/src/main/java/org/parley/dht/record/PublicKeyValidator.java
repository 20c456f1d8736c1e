package org.parley.dht.record;

import java.nio.ByteBuffer;
import java.util.List;
import org.parley.libp2p.crypto.InvalidKeyException;
import org.parley.libp2p.crypto.Keys;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.peer.PeerId;

/**
 * The {@code /pk/} namespace: {@code /pk/<binary PeerId>} maps to that peer's serialized public
 * key, valid iff the key hashes to the PeerId. Every valid copy is identical in meaning, so any
 * is as good as another. Stateless and thread safe.
 */
public final class PublicKeyValidator implements RecordValidator {

    public static final String NAMESPACE = "pk";

    /** The record key under which {@code peer}'s public key is stored. */
    public static byte[] keyFor(PeerId peer) {
        return RecordKey.of(NAMESPACE, peer.bytes());
    }

    @Override
    public void validate(byte[] key, byte[] value) throws InvalidRecordException {
        ByteBuffer rest = ByteBuffer.wrap(RecordKey.rest(key, NAMESPACE));
        PeerId peer = RecordKey.readPeerId(rest);
        if (rest.hasRemaining()) {
            throw new InvalidRecordException("/pk/ key has " + rest.remaining() + " bytes after the PeerId");
        }
        if (value.length > Keys.MAX_MARSHALLED_KEY_BYTES) {
            throw new InvalidRecordException("/pk/ value of " + value.length + " bytes exceeds the "
                    + Keys.MAX_MARSHALLED_KEY_BYTES + "-byte key limit");
        }
        PublicKey publicKey;
        try {
            publicKey = Keys.unmarshalPublic(value);
        } catch (InvalidKeyException e) {
            throw new InvalidRecordException("/pk/ value is not a public key: " + e.getMessage(), e);
        }
        if (!peer.matches(publicKey)) {
            throw new InvalidRecordException("/pk/ value is the key of " + PeerId.fromPublicKey(publicKey)
                    + ", not of " + peer + " named in the key");
        }
    }

    @Override
    public int select(byte[] key, List<byte[]> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to select from");
        }
        return 0;
    }
}
