package org.parley.chat.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** BIP-350's test vectors, plus round trips and the exact errors. */
class Bech32mTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "A1LQFN3A",
        "a1lqfn3a",
        "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
        "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
        "?1v759aa",
    })
    void acceptsBip350ValidStringsAndReencodesThem(String valid) throws Exception {
        Bech32m.Decoded decoded = Bech32m.decode(valid);
        assertThat(Bech32m.encode(decoded.hrp(), decoded.words())).isEqualTo(valid.toLowerCase());
    }

    @Test
    void decodesBip350WordsExactly() throws Exception {
        Bech32m.Decoded decoded = Bech32m.decode("abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx");
        assertThat(decoded.hrp()).isEqualTo("abcdef");
        byte[] expected = new byte[32];
        for (int i = 0; i < 32; i++) {
            expected[i] = (byte) (31 - i);
        }
        assertThat(decoded.words()).isEqualTo(expected);
        assertThat(Bech32m.fromWords(Bech32m.decode("split1checkupstagehandshakeupstreamerranterredcaperredlc445v").words()))
                .isEqualTo(HexFormat.of().parseHex("c5f38b70305f519bf66d85fb6cf03058f3dde463ecd7918f2dc743918f2d"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\u00201xj0phk|BAD_CHARACTER",
        "\u007f1g6xzxy|BAD_CHARACTER",
        "\u00801vctc34|BAD_CHARACTER",
        "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4|TOO_LONG",
        "qyrz8wqd2c9m|NO_SEPARATOR",
        "1qyrz8wqd2c9m|EMPTY_PREFIX",
        "y1b0jsk6g|BAD_CHARACTER",
        "lt1igcx5c0|BAD_CHARACTER",
        "in1muywd|TOO_SHORT",
        "mm1crxm3i|BAD_CHARACTER",
        "au1s5cgom|BAD_CHARACTER",
        "M1VUXWEZ|CHECKSUM",
        "16plkw9|EMPTY_PREFIX",
        "1p2gdwpf|EMPTY_PREFIX",
        // A valid Bech32 (BIP-173) string: its checksum constant is not Bech32m's.
        "A12UEL5L|CHECKSUM",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw|CHECKSUM",
        "A1LQfN3A|MIXED_CASE",
    }, ignoreLeadingAndTrailingWhitespace = false)
    void rejectsBip350InvalidStrings(String invalid, InvalidBech32mException.Reason reason) {
        assertThatThrownBy(() -> Bech32m.decode(invalid))
                .isInstanceOfSatisfying(InvalidBech32mException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void errorMessagesSayWhatIsWrongAndWhere() {
        assertThatThrownBy(() -> Bech32m.decode("y1b0jsk6g"))
                .hasMessage("has 'b' at position 3, which is not used in IDs (no 1, b, i or o after the separator)");
        assertThatThrownBy(() -> Bech32m.decode("in1muywd"))
                .hasMessage("has 5 characters after its separator; the checksum alone needs 6");
        assertThatThrownBy(() -> Bech32m.decode("a".repeat(91)))
                .hasMessage("is 91 characters long; at most 90 are allowed");
        assertThatThrownBy(() -> Bech32m.decode("M1VUXWEZ")).hasMessage("does not match its checksum");
        assertThatThrownBy(() -> Bech32m.decode("a b1qqqqqq")).hasMessage("has a character outside printable US-ASCII (code 32) at position 2");
    }

    @Test
    void wordConversionRoundTripsAndRejectsNonZeroPadding() throws Exception {
        byte[] bytes = HexFormat.of().parseHex("00ff10e2a7");
        assertThat(Bech32m.fromWords(Bech32m.toWords(bytes))).isEqualTo(bytes);
        assertThatThrownBy(() -> Bech32m.fromWords(new byte[] {31, 31}))
                .isInstanceOfSatisfying(InvalidBech32mException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidBech32mException.Reason.BAD_PADDING));
    }

    @Test
    void encodingRefusesWhatCannotBeDecoded() {
        assertThatThrownBy(() -> Bech32m.encode("", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bech32m.encode("Abc", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bech32m.encode("a", new byte[] {32})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bech32m.encode("a", new byte[84]))
                .hasMessage("a Bech32m string of 92 characters exceeds the 90-character limit");
    }
}
