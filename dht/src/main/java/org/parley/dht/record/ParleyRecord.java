package org.parley.dht.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.parley.dht.record.pb.RecordProtos;
import org.parley.libp2p.crypto.InvalidKeyException;
import org.parley.libp2p.crypto.Keys;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.multiformats.Varint;
import org.parley.libp2p.peer.PeerId;

/**
 * A record of the {@code /parley/} namespace: named data published by one peer and signed by its
 * key, so any DHT server can check it and nobody else can overwrite it. Immutable.
 *
 * <pre>
 *   key   = "/parley/" ‖ binary PeerId of the signer ‖ "/" ‖ name (UTF-8)
 *   value = ParleyRecordValue { publicKey, seq, data, signature }            (parley_record.proto)
 *   signed bytes = "parley-dht-record:" ‖ LP(key) ‖ uvarint(seq) ‖ LP(data)
 * </pre>
 *
 * The key is in the signed bytes, so a value cannot be replayed under another name; the best of
 * several values is the one with the highest {@code seq}.
 */
public final class ParleyRecord {

    public static final String NAMESPACE = "parley";
    /** Separates what this signature means from every other use of the same key. */
    static final byte[] SIGNATURE_DOMAIN = "parley-dht-record:".getBytes(StandardCharsets.US_ASCII);
    /** Names are labels such as "devices" or "prekeys"; 128 bytes leaves room for a suffix. */
    public static final int MAX_NAME_BYTES = 128;
    /** As for IPNS on Amino: a DHT value is a pointer or a small document, not a file. */
    public static final int MAX_VALUE_BYTES = 10 * 1024;

    private final byte[] key;
    private final byte[] value;
    private final PeerId signer;
    private final String name;
    private final long seq;
    private final byte[] data;

    private ParleyRecord(byte[] key, byte[] value, PeerId signer, String name, long seq, byte[] data) {
        this.key = key;
        this.value = value;
        this.signer = signer;
        this.name = name;
        this.seq = seq;
        this.data = data;
    }

    /** The record key under which {@code signer} publishes {@code name}. */
    public static byte[] keyFor(PeerId signer, String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length == 0 || nameBytes.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("record name must be 1 to " + MAX_NAME_BYTES + " UTF-8 bytes, got "
                    + nameBytes.length);
        }
        return RecordKey.of(NAMESPACE, signer.bytes(), new byte[] {'/'}, nameBytes);
    }

    /**
     * Signs {@code data} as version {@code seq} of {@code name} for the peer of {@code key}.
     *
     * @throws IllegalArgumentException if the name or the encoded value is too large
     */
    public static ParleyRecord sign(PrivateKey signingKey, String name, long seq, byte[] data) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be non-negative, got " + seq);
        }
        PeerId signer = PeerId.fromPublicKey(signingKey.publicKey());
        byte[] key = keyFor(signer, name);
        byte[] signature = signingKey.sign(signedBytes(key, seq, data));
        byte[] value = RecordProtos.ParleyRecordValue.newBuilder()
                .setPublicKey(ByteString.copyFrom(signingKey.publicKey().marshal()))
                .setSeq(seq)
                .setData(ByteString.copyFrom(data))
                .setSignature(ByteString.copyFrom(signature))
                .build()
                .toByteArray();
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("record value of " + value.length + " bytes exceeds the "
                    + MAX_VALUE_BYTES + "-byte limit");
        }
        return new ParleyRecord(key, value, signer, name, seq, data.clone());
    }

    /**
     * Reads and verifies a record.
     *
     * @throws InvalidRecordException naming the first check that failed
     */
    public static ParleyRecord parse(byte[] key, byte[] value) throws InvalidRecordException {
        ByteBuffer rest = ByteBuffer.wrap(RecordKey.rest(key, NAMESPACE));
        PeerId signer = RecordKey.readPeerId(rest);
        if (!rest.hasRemaining() || rest.get() != '/') {
            throw new InvalidRecordException("/parley/ key must be /parley/<binary PeerId>/<name>");
        }
        String name = decodeName(rest);
        if (value.length > MAX_VALUE_BYTES) {
            throw new InvalidRecordException("/parley/ value of " + value.length + " bytes exceeds the "
                    + MAX_VALUE_BYTES + "-byte limit");
        }
        RecordProtos.ParleyRecordValue pb;
        try {
            pb = RecordProtos.ParleyRecordValue.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidRecordException("/parley/ value is not a ParleyRecordValue: " + e.getMessage(), e);
        }
        PublicKey publicKey;
        try {
            publicKey = Keys.unmarshalPublic(pb.getPublicKey().toByteArray());
        } catch (InvalidKeyException e) {
            throw new InvalidRecordException("/parley/ value has an invalid public key: " + e.getMessage(), e);
        }
        if (!signer.matches(publicKey)) {
            throw new InvalidRecordException("/parley/ value is signed by " + PeerId.fromPublicKey(publicKey)
                    + ", not by " + signer + " named in the key");
        }
        if (pb.getSeq() < 0) {
            throw new InvalidRecordException("/parley/ seq " + Long.toUnsignedString(pb.getSeq())
                    + " exceeds the largest accepted, " + Long.MAX_VALUE);
        }
        byte[] data = pb.getData().toByteArray();
        if (!publicKey.verify(signedBytes(key, pb.getSeq(), data), pb.getSignature().toByteArray())) {
            throw new InvalidRecordException("/parley/ value signature does not verify for " + signer);
        }
        return new ParleyRecord(key.clone(), value.clone(), signer, name, pb.getSeq(), data);
    }

    public byte[] key() {
        return key.clone();
    }

    /** The encoded value, as stored in the DHT. */
    public byte[] value() {
        return value.clone();
    }

    public PeerId signer() {
        return signer;
    }

    public String name() {
        return name;
    }

    public long seq() {
        return seq;
    }

    public byte[] data() {
        return data.clone();
    }

    static byte[] signedBytes(byte[] key, long seq, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(SIGNATURE_DOMAIN.length + key.length + data.length + 16);
        out.writeBytes(SIGNATURE_DOMAIN);
        out.writeBytes(LengthPrefixed.frame(key));
        out.writeBytes(Varint.encode(seq));
        out.writeBytes(LengthPrefixed.frame(data));
        return out.toByteArray();
    }

    private static String decodeName(ByteBuffer rest) throws InvalidRecordException {
        if (!rest.hasRemaining() || rest.remaining() > MAX_NAME_BYTES) {
            throw new InvalidRecordException("/parley/ record name must be 1 to " + MAX_NAME_BYTES + " bytes, got "
                    + rest.remaining());
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(rest)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRecordException("/parley/ record name is not valid UTF-8", e);
        }
    }
}
