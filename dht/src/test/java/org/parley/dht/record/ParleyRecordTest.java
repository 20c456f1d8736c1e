package org.parley.dht.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.dht.record.pb.RecordProtos;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;

class ParleyRecordTest {

    private static final Ed25519PrivateKey SPEC_KEY = Ed25519PrivateKey.fromSeed(
            HexFormat.of().parseHex("7e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"));
    private final ParleyRecordValidator validator = new ParleyRecordValidator();

    @Test
    void keyNamesTheSignerByBinaryPeerIdAndTheName() {
        byte[] key = ParleyRecord.keyFor(PeerId.fromPublicKey(SPEC_KEY.publicKey()), "devices");
        assertThat(HexFormat.of().formatHex(key)).isEqualTo("2f7061726c65792f"
                + "0024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"
                + "2f64657669636573");
    }

    @Test
    void aSignedRecordVerifiesAndReadsBack() throws InvalidRecordException {
        ParleyRecord r = ParleyRecord.sign(SPEC_KEY, "devices", 7, "hello".getBytes(StandardCharsets.UTF_8));
        ParleyRecord parsed = ParleyRecord.parse(r.key(), r.value());
        assertThat(parsed.signer()).isEqualTo(PeerId.fromPublicKey(SPEC_KEY.publicKey()));
        assertThat(parsed.name()).isEqualTo("devices");
        assertThat(parsed.seq()).isEqualTo(7);
        assertThat(parsed.data()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesAValueSignedByAnotherKey() {
        Ed25519PrivateKey mallory = Ed25519PrivateKey.generate();
        ParleyRecord forged = ParleyRecord.sign(mallory, "devices", 9, new byte[] {1});
        byte[] victimKey = ParleyRecord.keyFor(PeerId.fromPublicKey(SPEC_KEY.publicKey()), "devices");
        assertThatThrownBy(() -> validator.validate(victimKey, forged.value()))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("/parley/ value is signed by " + PeerId.fromPublicKey(mallory.publicKey()) + ", not by "
                        + PeerId.fromPublicKey(SPEC_KEY.publicKey()) + " named in the key");
    }

    @Test
    void refusesATamperedValueOrAValueMovedToAnotherName() throws Exception {
        ParleyRecord r = ParleyRecord.sign(SPEC_KEY, "devices", 1, new byte[] {1});
        byte[] tampered = RecordProtos.ParleyRecordValue.parseFrom(r.value()).toBuilder()
                .setData(ByteString.copyFrom(new byte[] {2})).build().toByteArray();
        String expected = "/parley/ value signature does not verify for " + PeerId.fromPublicKey(SPEC_KEY.publicKey());
        assertThatThrownBy(() -> validator.validate(r.key(), tampered)).hasMessage(expected);
        byte[] otherName = ParleyRecord.keyFor(PeerId.fromPublicKey(SPEC_KEY.publicKey()), "prekeys");
        assertThatThrownBy(() -> validator.validate(otherName, r.value())).hasMessage(expected);
    }

    @Test
    void refusesMalformedKeysAndValues() {
        byte[] noName = "/parley/x".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> validator.validate(noName, new byte[0]))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith("record key does not hold a valid binary PeerId: ");
        byte[] key = ParleyRecord.keyFor(PeerId.fromPublicKey(SPEC_KEY.publicKey()), "devices");
        assertThatThrownBy(() -> validator.validate(key, new byte[] {(byte) 0xff}))
                .hasMessageStartingWith("/parley/ value is not a ParleyRecordValue: ");
        assertThatThrownBy(() -> validator.validate(key, new byte[ParleyRecord.MAX_VALUE_BYTES + 1]))
                .hasMessage("/parley/ value of 10241 bytes exceeds the 10240-byte limit");
    }

    @Test
    void theHighestSequenceNumberWins() {
        ParleyRecord v1 = ParleyRecord.sign(SPEC_KEY, "devices", 1, new byte[] {1});
        ParleyRecord v3 = ParleyRecord.sign(SPEC_KEY, "devices", 3, new byte[] {3});
        ParleyRecord v2 = ParleyRecord.sign(SPEC_KEY, "devices", 2, new byte[] {2});
        assertThat(validator.select(v1.key(), List.of(v1.value(), v3.value(), v2.value()))).isEqualTo(1);
    }
}
