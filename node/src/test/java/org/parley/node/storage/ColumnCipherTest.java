package org.parley.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ColumnCipherTest {

    private final StorageKey key = StorageKey.generate();
    private final ColumnCipher cipher = new ColumnCipher(key);
    private final byte[] plaintext = "meet at noon".getBytes(StandardCharsets.UTF_8);

    @AfterEach
    void zeroKey() {
        key.close();
    }

    @Test
    void opensWhatItSealedForTheSameContext() throws Exception {
        byte[] sealed = cipher.seal(plaintext, "messages.body:42");

        assertThat(sealed).hasSize(plaintext.length + ColumnCipher.OVERHEAD);
        assertThat(sealed[0]).isEqualTo((byte) ColumnCipher.VERSION);
        assertThat(StorageKeyFileTest.indexOf(sealed, plaintext)).isEqualTo(-1);
        assertThat(cipher.open(sealed, "messages.body:42")).isEqualTo(plaintext);
    }

    @Test
    void sealsTheSameValueDifferentlyEachTime() {
        assertThat(cipher.seal(plaintext, "kv.value:a")).isNotEqualTo(cipher.seal(plaintext, "kv.value:a"));
    }

    @Test
    void valueMovedToAnotherRowDoesNotOpen() {
        byte[] sealed = cipher.seal(plaintext, "messages.body:42");

        assertThatThrownBy(() -> cipher.open(sealed, "messages.body:43"))
                .isInstanceOf(SealedValueException.class)
                .hasMessageContaining("messages.body:43")
                .hasMessageContaining("does not open");
    }

    @Test
    void valueSealedUnderAnotherKeyDoesNotOpen() {
        byte[] sealed;
        try (StorageKey other = StorageKey.generate()) {
            sealed = new ColumnCipher(other).seal(plaintext, "kv.value:a");
        }

        assertThatThrownBy(() -> cipher.open(sealed, "kv.value:a")).isInstanceOf(SealedValueException.class);
    }

    @Test
    void changedCiphertextDoesNotOpen() {
        byte[] sealed = cipher.seal(plaintext, "kv.value:a");
        sealed[sealed.length - 1] ^= 1;

        assertThatThrownBy(() -> cipher.open(sealed, "kv.value:a")).isInstanceOf(SealedValueException.class);
    }

    @Test
    void tooShortValueIsRefusedWithItsLength() {
        assertThatThrownBy(() -> cipher.open(new byte[ColumnCipher.OVERHEAD - 1], "kv.value:a"))
                .isInstanceOf(SealedValueException.class)
                .hasMessage("sealed value for kv.value:a is " + (ColumnCipher.OVERHEAD - 1)
                        + " bytes, shorter than the " + ColumnCipher.OVERHEAD + " bytes sealing adds");
    }

    @Test
    void unknownFormatVersionIsRefused() {
        byte[] sealed = cipher.seal(plaintext, "kv.value:a");
        sealed[0] = 9;

        assertThatThrownBy(() -> cipher.open(sealed, "kv.value:a"))
                .isInstanceOf(SealedValueException.class)
                .hasMessageContaining("format version 9");
    }

    @Test
    void closedKeySealsNothing() {
        StorageKey closed = StorageKey.generate();
        ColumnCipher closedCipher = new ColumnCipher(closed);
        closed.close();

        assertThatThrownBy(() -> closedCipher.seal(plaintext, "kv.value:a"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void emptyValueRoundTrips() throws Exception {
        assertThat(cipher.open(cipher.seal(new byte[0], "kv.value:e"), "kv.value:e")).isEmpty();
    }
}
