package org.parley.dht.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;

class NamespacedValidatorTest {

    private final NamespacedValidator validator = NamespacedValidator.standard();

    @Test
    void acceptsAPublicKeyUnderItsOwnPeerId() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        byte[] recordKey = PublicKeyValidator.keyFor(PeerId.fromPublicKey(key.publicKey()));
        assertThat(new String(recordKey, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("/pk/");
        assertThatCode(() -> validator.validate(recordKey, key.publicKey().marshal())).doesNotThrowAnyException();
        assertThat(validator.select(recordKey, List.of(key.publicKey().marshal(), key.publicKey().marshal()))).isZero();
    }

    @Test
    void refusesKeysWithoutANamespaceAndUnknownNamespaces() {
        assertThatThrownBy(() -> validator.validate("plain".getBytes(StandardCharsets.UTF_8), new byte[0]))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("record key must start with /<namespace>/");
        assertThatThrownBy(() -> validator.validate("//x".getBytes(StandardCharsets.UTF_8), new byte[0]))
                .hasMessage("record key must start with /<namespace>/ of 1 to 32 characters");
        assertThatThrownBy(() -> validator.validate("/ipns/x".getBytes(StandardCharsets.UTF_8), new byte[0]))
                .hasMessage("unknown record namespace 'ipns'; expected one of [parley, pk]");
    }

    /** Regression (found by RecordValidatorFuzzTest): a short key crashed a validator called directly. */
    @Test
    void aNamespaceValidatorCalledDirectlyRefusesKeysOfOtherNamespaces() {
        assertThatThrownBy(() -> new PublicKeyValidator().validate("/p/".getBytes(StandardCharsets.UTF_8), new byte[0]))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("record key is in namespace 'p', expected 'pk'");
        assertThatThrownBy(() -> ParleyRecord.parse("/pk/x".getBytes(StandardCharsets.UTF_8), new byte[0]))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("record key is in namespace 'pk', expected 'parley'");
    }

    @Test
    void refusesAPublicKeyKeyWithTrailingBytes() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        byte[] base = PublicKeyValidator.keyFor(PeerId.fromPublicKey(key.publicKey()));
        byte[] longer = Arrays.copyOf(base, base.length + 1);
        assertThatThrownBy(() -> validator.validate(longer, key.publicKey().marshal()))
                .hasMessage("/pk/ key has 1 bytes after the PeerId");
        assertThatThrownBy(() -> validator.validate(base, new byte[] {1, 2}))
                .hasMessageStartingWith("/pk/ value is not a public key: ");
    }

    @Test
    void recordStoreForgetsRecordsAfterTheirExpiry() {
        RecordStore store = new RecordStore(Duration.ofHours(48), 1);
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(store.put(new byte[] {1}, new byte[] {1}, t0)).isTrue();
        assertThat(store.put(new byte[] {2}, new byte[] {2}, t0)).as("full").isFalse();
        assertThat(store.get(new byte[] {1}, t0.plus(Duration.ofHours(48)))).isPresent();
        assertThat(store.get(new byte[] {1}, t0.plus(Duration.ofHours(48)).plusSeconds(1))).isEmpty();
        assertThat(store.put(new byte[] {2}, new byte[] {2}, t0.plus(Duration.ofHours(49)))).isTrue();
        assertThat(store.size()).isEqualTo(1);
    }
}
