package org.parley.chat.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.signal.libsignal.protocol.IdentityKeyPair;

/** The shareable ID: its fixed form, round trips, and every single typo and transposition caught locally. */
class UserIdTest {

    private static final byte[] KEY = HexFormat.of().parseHex(
            "1f2e3d4c5b6a79880f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778");

    @Test
    void textIsOneUrlAndShellSafeTokenOfFixedLength() {
        String text = UserId.fromPublicKeyBytes(KEY).text();
        assertThat(text).startsWith("parley1q").hasSize(UserId.TEXT_LENGTH).hasSize(66).matches("[a-z0-9]+");
    }

    @Test
    void roundTripsThroughTextSerializedKeyAndLibsignal() throws Exception {
        UserId id = UserId.fromPublicKeyBytes(KEY);
        assertThat(UserId.parse(id.text())).isEqualTo(id);
        assertThat(UserId.parse("  " + id.text().toUpperCase() + "\n")).isEqualTo(id);
        assertThat(UserId.fromSerializedKey(id.serializedKey())).isEqualTo(id);
        assertThat(id.serializedKey()[0]).isEqualTo((byte) 0x05);

        IdentityKeyPair pair = IdentityKeyPair.generate();
        UserId fromLibsignal = UserId.of(pair.getPublicKey());
        assertThat(fromLibsignal.serializedKey()).isEqualTo(pair.getPublicKey().serialize());
        assertThat(fromLibsignal.identityKey()).isEqualTo(pair.getPublicKey());
    }

    @Test
    void everySingleCharacterTypoIsCaughtAsATypo() {
        String text = UserId.fromPublicKeyBytes(KEY).text();
        String alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        for (int i = "parley1".length(); i < text.length(); i++) {
            for (char c : alphabet.toCharArray()) {
                if (c == text.charAt(i)) {
                    continue;
                }
                String typo = text.substring(0, i) + c + text.substring(i + 1);
                assertThatThrownBy(() -> UserId.parse(typo)).as("typo at %d", i)
                        .isInstanceOfSatisfying(InvalidUserIdException.class,
                                e -> assertThat(e.reason()).isEqualTo(InvalidUserIdException.Reason.TYPO));
            }
        }
    }

    @Test
    void everyTranspositionOfNeighboursIsCaught() {
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
        for (int round = 0; round < 20; round++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            String text = UserId.fromPublicKeyBytes(key).text();
            for (int i = "parley1".length(); i < text.length() - 1; i++) {
                if (text.charAt(i) == text.charAt(i + 1)) {
                    continue;
                }
                String swapped = text.substring(0, i) + text.charAt(i + 1) + text.charAt(i) + text.substring(i + 2);
                assertThatThrownBy(() -> UserId.parse(swapped)).as("swap at %d", i)
                        .isInstanceOfSatisfying(InvalidUserIdException.class,
                                e -> assertThat(e.reason()).isEqualTo(InvalidUserIdException.Reason.TYPO));
            }
        }
    }

    @Test
    void typoMessageTellsThePersonWhatToDo() {
        String text = UserId.fromPublicKeyBytes(KEY).text();
        String typo = text.substring(0, 20) + (text.charAt(20) == 'q' ? 'p' : 'q') + text.substring(21);
        assertThatThrownBy(() -> UserId.parse(typo)).hasMessage("this user ID has a typo: it does not match its "
                + "checksum. Compare it character by character with the original, or copy it again");
    }

    @Test
    void otherMistakesSayWhatTheTextIs() {
        assertThatThrownBy(() -> UserId.parse("   ")).hasMessage(
                "the user ID is empty: paste the whole ID, which starts with parley1");
        assertThatThrownBy(() -> UserId.parse("hello world")).hasMessage(
                "this is not a Parley user ID: the text has a character outside printable US-ASCII (code 32) at "
                        + "position 6. A user ID looks like parley1q... and is 66 characters long");
        String other = Bech32m.encode("bc", Bech32m.toWords(KEY));
        assertThatThrownBy(() -> UserId.parse(other)).hasMessage(
                "this is not a Parley user ID: it starts with bc1 instead of parley1");
        byte[] words = new byte[53];
        words[0] = 1;
        assertThatThrownBy(() -> UserId.parse(Bech32m.encode("parley", words)))
                .isInstanceOfSatisfying(InvalidUserIdException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidUserIdException.Reason.UNSUPPORTED_VERSION))
                .hasMessage("this user ID has format version 1, which this Parley does not know (it reads version 0):"
                        + " update Parley to add this contact");
        byte[] shortKey = new byte[1 + Bech32m.toWords(new byte[16]).length];
        assertThatThrownBy(() -> UserId.parse(Bech32m.encode("parley", shortKey))).hasMessage(
                "this Parley user ID holds a 16-byte key instead of 32 bytes: copy the whole ID again");
    }

    @Test
    void serializedKeyMustBeLibsignalsDjbForm() {
        assertThatThrownBy(() -> UserId.fromSerializedKey(new byte[33]))
                .hasMessage("a serialized identity key is 33 bytes starting with 0x05, not 33 bytes starting with 0x00");
        assertThatThrownBy(() -> UserId.fromSerializedKey(new byte[0]))
                .hasMessage("a serialized identity key is 33 bytes starting with 0x05, not 0 bytes");
    }

    @Test
    void rendezvousKeyIsSha256OfDomainAndSerializedKeyAsAMultihash() throws Exception {
        UserId id = UserId.fromPublicKeyBytes(KEY);
        byte[] key = ChatRendezvous.key(id);
        byte[] input = new byte["parley/user/v1".length() + 33];
        System.arraycopy("parley/user/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, input, 0, 14);
        System.arraycopy(id.serializedKey(), 0, input, 14, 33);
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(input);
        assertThat(key).hasSize(34);
        assertThat(key[0]).isEqualTo((byte) 0x12);
        assertThat(key[1]).isEqualTo((byte) 0x20);
        assertThat(java.util.Arrays.copyOfRange(key, 2, 34)).isEqualTo(digest);
        assertThat(ChatRendezvous.key(UserId.fromPublicKeyBytes(new byte[32]))).isNotEqualTo(key);
    }
}
