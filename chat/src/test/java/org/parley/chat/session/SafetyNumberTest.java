package org.parley.chat.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parley.chat.identity.UserId;
import org.signal.libsignal.protocol.IdentityKeyPair;

class SafetyNumberTest {

    private final UserId alice = UserId.of(IdentityKeyPair.generate().getPublicKey());
    private final UserId bob = UserId.of(IdentityKeyPair.generate().getPublicKey());

    @Test
    void bothSidesSeeTheSameSixtyDigits() {
        SafetyNumber aliceSees = SafetyNumber.between(alice, bob);
        SafetyNumber bobSees = SafetyNumber.between(bob, alice);
        assertThat(aliceSees.digits()).hasSize(60).matches("[0-9]{60}").isEqualTo(bobSees.digits());
        assertThat(aliceSees.grouped()).matches("([0-9]{5} ){11}[0-9]{5}");
    }

    @Test
    void scannedCodeOfTheOtherSideMatchesAndAnotherKeyDoesNot() {
        SafetyNumber aliceSees = SafetyNumber.between(alice, bob);
        assertThat(aliceSees.matchesScanned(SafetyNumber.between(bob, alice).scannable())).isTrue();
        UserId mallory = UserId.of(IdentityKeyPair.generate().getPublicKey());
        SafetyNumber withMallory = SafetyNumber.between(alice, mallory);
        assertThat(withMallory.digits()).isNotEqualTo(aliceSees.digits());
        assertThat(aliceSees.matchesScanned(SafetyNumber.between(mallory, alice).scannable())).isFalse();
    }

    @Test
    void aCodeThatIsNotASafetyNumberSaysSo() {
        SafetyNumber aliceSees = SafetyNumber.between(alice, bob);
        assertThatThrownBy(() -> aliceSees.matchesScanned(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the scanned code is not a safety number code: scan the code shown on your contact's "
                        + "safety number screen");
    }
}
