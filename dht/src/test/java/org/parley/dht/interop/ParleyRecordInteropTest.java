package org.parley.dht.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.dht.record.InvalidRecordException;
import org.parley.dht.record.ParleyRecord;
import org.parley.dht.record.ParleyRecordValidator;
import org.parley.dht.record.pb.RecordProtos;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.interop.JsPeer;
import org.parley.libp2p.interop.JsPeerLogs;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.multiformats.Varint;
import org.parley.libp2p.peer.PeerId;

/**
 * The {@code /parley/} record rules of the Java DHT and of the js interop peers
 * (scripts/interop/parley-record.mjs) agree: each side accepts what the other signs, both sign
 * the same bytes from the same key, both refuse the same broken records and pick the same best
 * value. The mixed-network tests rely on this; here it is checked without a DHT in between.
 */
@Tag("interop")
@ExtendWith(JsPeerLogs.class)
class ParleyRecordInteropTest {

    private static final HexFormat HEX = HexFormat.of();
    /** The Ed25519 seed of docs/libp2p-wire.md's PeerId example (12D3KooWBtg3…R3pq). */
    private static final byte[] SEED = HEX.parseHex("7e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d");
    private static final Ed25519PrivateKey KEY = Ed25519PrivateKey.fromSeed(SEED);
    private static final PeerId SIGNER = PeerId.fromPublicKey(KEY.publicKey());
    private static final byte[] DOMAIN = "parley-dht-record:".getBytes(StandardCharsets.US_ASCII);

    private static JsPeer js;

    private final ParleyRecordValidator validator = new ParleyRecordValidator();

    @BeforeAll
    static void startJsPeerWithTheSameKey() {
        js = JsPeer.builder().name("parley-records").seed(SEED).start();
    }

    @AfterAll
    static void stopJsPeer() {
        if (js != null) {
            js.close();
        }
    }

    @Test
    void jsAcceptsARecordSignedInJava() {
        ParleyRecord record = ParleyRecord.sign(KEY, "devices", 7, "hello".getBytes(StandardCharsets.UTF_8));

        JsonNode read = validate(record.key(), record.value());

        assertThat(read.path("valid").asBoolean()).as(read.toString()).isTrue();
        assertThat(read.path("seq").asText()).isEqualTo("7");
        assertThat(read.path("dataHex").asText()).isEqualTo(HEX.formatHex("hello".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void javaAcceptsARecordSignedInJs() throws InvalidRecordException {
        Ed25519PrivateKey otherKey = Ed25519PrivateKey.generate();
        try (JsPeer signer = JsPeer.builder().name("parley-signer").seed(otherKey.seed()).start()) {
            JsonNode signed = signer.command("parley-record-sign", Map.of("name", "prekeys", "seq", 42, "dataHex", "c0ffee"));

            ParleyRecord record = ParleyRecord.parse(HEX.parseHex(signed.path("keyHex").asText()),
                    HEX.parseHex(signed.path("valueHex").asText()));

            assertThat(record.signer()).isEqualTo(signer.peerId());
            assertThat(record.name()).isEqualTo("prekeys");
            assertThat(record.seq()).isEqualTo(42);
            assertThat(record.data()).isEqualTo(HEX.parseHex("c0ffee"));
        }
    }

    @Test
    void bothSignTheSameBytesWithTheSameKey() {
        record Case(String name, long seq, byte[] data) {}
        List<Case> cases = List.of(
                new Case("devices", 1, "hello".getBytes(StandardCharsets.UTF_8)),
                new Case("empty data and seq 0 are left out by proto3", 0, new byte[0]),
                new Case("ünïcödé name", Long.MAX_VALUE, new byte[] {0}),
                new Case("x".repeat(ParleyRecord.MAX_NAME_BYTES), 300, new byte[1000]));
        for (Case c : cases) {
            ParleyRecord java = ParleyRecord.sign(KEY, c.name(), c.seq(), c.data());

            JsonNode fromJs = js.command("parley-record-sign", Map.of("name", c.name(),
                    "seq", Long.toString(c.seq()), "dataHex", HEX.formatHex(c.data())));

            assertThat(fromJs.path("keyHex").asText()).as(c.name()).isEqualTo(HEX.formatHex(java.key()));
            assertThat(fromJs.path("valueHex").asText()).as(c.name()).isEqualTo(HEX.formatHex(java.value()));
        }
    }

    @Test
    void bothRefuseTheSameBrokenRecordsAndAcceptTheSameOddOnes() {
        byte[] key = ParleyRecord.keyFor(SIGNER, "devices");
        byte[] keyWithoutName = slice(key, key.length - "devices".length());
        ParleyRecord good = ParleyRecord.sign(KEY, "devices", 3, new byte[] {1, 2, 3});
        Ed25519PrivateKey mallory = Ed25519PrivateKey.generate();
        RecordProtos.ParleyRecordValue goodPb = parse(good.value());

        List<Sample> samples = new ArrayList<>();
        samples.add(new Sample("a good record", key, good.value()));
        samples.add(new Sample("signed by another key", key,
                ParleyRecord.sign(mallory, "devices", 3, new byte[] {1, 2, 3}).value()));
        samples.add(new Sample("data changed after signing", key,
                goodPb.toBuilder().setData(ByteString.copyFrom(new byte[] {9})).build().toByteArray()));
        samples.add(new Sample("seq changed after signing", key, goodPb.toBuilder().setSeq(4).build().toByteArray()));
        samples.add(new Sample("moved to another name", ParleyRecord.keyFor(SIGNER, "prekeys"), good.value()));
        samples.add(new Sample("no signature", key, goodPb.toBuilder().clearSignature().build().toByteArray()));
        samples.add(new Sample("no public key", key, goodPb.toBuilder().clearPublicKey().build().toByteArray()));
        samples.add(new Sample("a public key that is no key", key,
                goodPb.toBuilder().setPublicKey(ByteString.copyFrom(new byte[] {8, 1, 18, 3, 1, 2, 3})).build().toByteArray()));
        samples.add(new Sample("not a protobuf", key, new byte[] {(byte) 0xff}));
        samples.add(new Sample("a length beyond the end", key, new byte[] {0x1a, 0x05, 1}));
        samples.add(new Sample("field number 0", key, new byte[] {0x02, 0x00}));
        samples.add(new Sample("an unmatched end of group", key, new byte[] {0x0c}));
        samples.add(new Sample("one byte over the value limit", key, new byte[ParleyRecord.MAX_VALUE_BYTES + 1]));
        samples.add(new Sample("a seq above 2^63 - 1, signed", key, signedValue(key, -1L, new byte[] {1})));
        samples.add(new Sample("an unknown field of every wire type, signed", key, concat(
                signedValue(key, 5, new byte[] {5}),
                HEX.parseHex("2801" + "31" + "0102030405060708" + "3a0101" + "45" + "01020304" + "4b" + "5001" + "4c"))));
        byte[] otherData = RecordProtos.ParleyRecordValue.newBuilder().setData(ByteString.copyFrom(new byte[] {7}))
                .build().toByteArray();
        samples.add(new Sample("data repeated, the signed copy last", key, concat(otherData, good.value())));
        samples.add(new Sample("data repeated, another copy last", key, concat(good.value(), otherData)));
        samples.add(new Sample("seq sent with the wrong wire type (an unknown field then)", key, concat(
                signedValue(key, 0, new byte[] {1}), HEX.parseHex("1501020304"))));
        samples.add(new Sample("a key without a name", keyWithoutName, good.value()));
        samples.add(new Sample("a key whose PeerId runs past its end", HEX.parseHex("2f7061726c65792f0024080112"), good.value()));
        samples.add(new Sample("a name that is not UTF-8", concat(keyWithoutName, new byte[] {(byte) 0xc3, 0x28}),
                good.value()));
        samples.add(new Sample("a name over 128 bytes", concat(keyWithoutName, new byte[ParleyRecord.MAX_NAME_BYTES + 1]),
                good.value()));

        for (Sample s : samples) {
            Optional<String> javaError = javaVerdict(s);
            JsonNode jsVerdict = validate(s.key(), s.value());

            assertThat(jsVerdict.path("valid").asBoolean())
                    .as("%s: Java says %s, js says %s", s.what(), javaError.orElse("valid"), jsVerdict)
                    .isEqualTo(javaError.isEmpty());
        }
    }

    @Test
    void bothExplainAForgeryAndATamperingInTheSameWords() {
        byte[] key = ParleyRecord.keyFor(SIGNER, "devices");
        Ed25519PrivateKey mallory = Ed25519PrivateKey.generate();
        byte[] forged = ParleyRecord.sign(mallory, "devices", 3, new byte[] {1}).value();
        byte[] tampered = parse(ParleyRecord.sign(KEY, "devices", 3, new byte[] {1}).value()).toBuilder()
                .setData(ByteString.copyFrom(new byte[] {2})).build().toByteArray();

        assertThat(validate(key, forged).path("error").asText()).isEqualTo(javaVerdict(new Sample("", key, forged)).orElseThrow());
        assertThat(validate(key, tampered).path("error").asText())
                .isEqualTo(javaVerdict(new Sample("", key, tampered)).orElseThrow());
    }

    @Test
    void bothPickTheSameBestValue() {
        byte[] key = ParleyRecord.keyFor(SIGNER, "devices");
        byte[] seq1 = ParleyRecord.sign(KEY, "devices", 1, new byte[] {1}).value();
        byte[] seq3 = ParleyRecord.sign(KEY, "devices", 3, new byte[] {3}).value();
        byte[] seq3b = ParleyRecord.sign(KEY, "devices", 3, new byte[] {(byte) 0xfe}).value();
        byte[] seq2 = ParleyRecord.sign(KEY, "devices", 2, new byte[] {2}).value();
        byte[] forged = ParleyRecord.sign(Ed25519PrivateKey.generate(), "devices", 99, new byte[] {9}).value();
        List<List<byte[]>> sets = List.of(
                List.of(seq1, seq3, seq2),
                List.of(seq3, seq1),
                List.of(seq2, seq3, seq3b),
                List.of(seq3b, seq3),
                List.of(forged, seq1),
                List.of(seq1, forged, seq2),
                List.of(forged));
        for (List<byte[]> values : sets) {
            int javaIndex = validator.select(key, values);

            JsonNode jsIndex = js.command("parley-record-select", Map.of("keyHex", HEX.formatHex(key),
                    "valuesHex", values.stream().map(HEX::formatHex).toList()));

            assertThat(jsIndex.path("index").asInt()).as("values %s", values.stream().map(HEX::formatHex).toList())
                    .isEqualTo(javaIndex);
        }
    }

    private record Sample(String what, byte[] key, byte[] value) {}

    private Optional<String> javaVerdict(Sample s) {
        try {
            validator.validate(s.key(), s.value());
            return Optional.empty();
        } catch (InvalidRecordException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static JsonNode validate(byte[] key, byte[] value) {
        return js.command("parley-record-validate", Map.of("keyHex", HEX.formatHex(key), "valueHex", HEX.formatHex(value)));
    }

    /**
     * A value signed as the namespace says, built field by field so that it may hold what
     * {@link ParleyRecord#sign} refuses (a seq beyond a signed long).
     */
    private static byte[] signedValue(byte[] key, long seq, byte[] data) {
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        signed.writeBytes(DOMAIN);
        signed.writeBytes(LengthPrefixed.frame(key));
        signed.writeBytes(uvarint(seq));
        signed.writeBytes(LengthPrefixed.frame(data));
        return RecordProtos.ParleyRecordValue.newBuilder()
                .setPublicKey(ByteString.copyFrom(KEY.publicKey().marshal()))
                .setSeq(seq)
                .setData(ByteString.copyFrom(data))
                .setSignature(ByteString.copyFrom(KEY.sign(signed.toByteArray())))
                .build()
                .toByteArray();
    }

    /** An unsigned varint of all 64 bits (Varint stops at 63). */
    private static byte[] uvarint(long value) {
        if (value >= 0) {
            return Varint.encode(value);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static RecordProtos.ParleyRecordValue parse(byte[] value) {
        try {
            return RecordProtos.ParleyRecordValue.parseFrom(value);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("a value ParleyRecord.sign made does not parse", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] slice(byte[] bytes, int length) {
        byte[] out = new byte[length];
        System.arraycopy(bytes, 0, out, 0, length);
        return out;
    }
}
