package org.parley.libp2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fixtures from multiformats/multibase test vectors ("yes mani !" and leading-zero cases). */
class MultibaseTest {

    private static final byte[] YES_MANI = "yes mani !".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @CsvSource({
        "f796573206d616e692021",
        "F796573206D616E692021",
        "bpfsxgidnmfxgsibb",
        "BPFSXGIDNMFXGSIBB",
        "k2lcpzo5yikidynfl",
        "K2LCPZO5YIKIDYNFL",
        "z7paNL19xttacUY",
        "meWVzIG1hbmkgIQ",
        "MeWVzIG1hbmkgIQ==",
        "ueWVzIG1hbmkgIQ",
        "UeWVzIG1hbmkgIQ==",
    })
    void decodesTheSpecFixtureInEverySupportedBase(String text) {
        assertThat(Multibase.decode(text)).isEqualTo(YES_MANI);
    }

    @Test
    void encodesTheSpecFixture() {
        assertThat(Multibase.encodeBase32(YES_MANI)).isEqualTo("bpfsxgidnmfxgsibb");
        assertThat(Multibase.encodeBase36(YES_MANI)).isEqualTo("k2lcpzo5yikidynfl");
        assertThat(Multibase.encodeBase64Url(YES_MANI)).isEqualTo("ueWVzIG1hbmkgIQ");
        assertThat("z" + Base58.encode(YES_MANI)).isEqualTo("z7paNL19xttacUY");
    }

    @ParameterizedTest
    @CsvSource({
        "k0, 00",
        "k00, 0000",
        "k0a, 000a",
        "z1, 00",
        "z11, 0000",
        "z12, 0001",
        "bae, 01",
        "b, ''",
    })
    void keepsLeadingZeroBytes(String text, String hex) {
        assertThat(java.util.HexFormat.of().formatHex(Multibase.decode(text))).isEqualTo(hex);
    }

    @Test
    void roundTripsBytesWithLeadingZeros() {
        byte[] data = {0, 0, 1, (byte) 0xFF, 0, 7};
        assertThat(Multibase.decode(Multibase.encodeBase32(data))).isEqualTo(data);
        assertThat(Multibase.decode(Multibase.encodeBase36(data))).isEqualTo(data);
        assertThat(Multibase.decode(Multibase.encodeBase64Url(data))).isEqualTo(data);
        assertThat(Base58.decode(Base58.encode(data))).isEqualTo(data);
    }

    @Test
    void rejectsAnUnknownPrefix() {
        assertThatThrownBy(() -> Multibase.decode("Qabc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported multibase prefix 'Q'");
    }

    @Test
    void rejectsACharacterOutsideTheBase() {
        assertThatThrownBy(() -> Multibase.decode("bpfsx1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid multibase 'b' text: invalid base32 character '1' at position 4");
        assertThatThrownBy(() -> Multibase.decode("k2lc!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid multibase 'k' text: invalid base36 character '!' at position 3");
    }

    @Test
    void rejectsEmptyText() {
        assertThatThrownBy(() -> Multibase.decode(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty multibase string");
    }
}
