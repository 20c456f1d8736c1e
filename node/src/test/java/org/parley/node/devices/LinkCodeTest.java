package org.parley.node.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/** Link codes as text (round trip, typos caught, no secret in toString) and the issuer's once-only, ten-minute rule. */
class LinkCodeTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T20:00:00Z"));
    private final LinkCodes codes = new LinkCodes(now::get);
    private final PeerId device = DeviceListTest.peer();

    @Test
    void aCodeRoundTripsAsTextAndATypoIsCaught() throws Exception {
        LinkCode code = codes.issue(1, device, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"))).code();
        String text = code.format();
        assertThat(text).startsWith(LinkCode.PREFIX);
        assertThat(LinkCode.parse("  " + text + "\n")).isEqualTo(code);
        assertThat(code.toString()).doesNotContain(java.util.HexFormat.of().formatHex(code.secret()));

        // A character in the middle carries six bits of the code (the last one may carry padding
        // bits a decoder ignores), so changing it always changes the decoded bytes.
        int at = LinkCode.PREFIX.length() + 10;
        char typoChar = text.charAt(at) == 'A' ? 'g' : 'A';
        String typo = text.substring(0, at) + typoChar + text.substring(at + 1);
        assertThatThrownBy(() -> LinkCode.parse(typo)).isInstanceOf(LinkException.class)
                .hasMessageContaining("not a link code").extracting(e -> ((LinkException) e).reason())
                .isEqualTo(LinkException.Reason.MALFORMED);
        assertThatThrownBy(() -> LinkCode.parse("hello")).isInstanceOf(LinkException.class);
        assertThatThrownBy(() -> LinkCode.parse(LinkCode.PREFIX + "x".repeat(LinkCode.MAX_TEXT_LENGTH)))
                .isInstanceOf(LinkException.class);
    }

    @Test
    void aCodeWorksOnceAndOnlyForTenMinutes() throws Exception {
        LinkCode first = codes.issue(7, device, List.of()).code();
        LinkCode second = codes.issue(7, device, List.of()).code();

        assertThat(codes.find(first.id()).identityRow()).isEqualTo(7);
        assertThat(codes.spend(first.id())).isTrue();
        assertThat(codes.spend(first.id())).isFalse();
        assertThatThrownBy(() -> codes.find(first.id())).isInstanceOf(LinkException.class)
                .extracting(e -> ((LinkException) e).reason()).isEqualTo(LinkException.Reason.USED);

        now.set(now.get().plus(LinkCodes.LIFETIME).minus(Duration.ofMillis(1)));
        assertThat(codes.find(second.id()).secret()).isEqualTo(second.secret());
        now.set(now.get().plus(Duration.ofMillis(1)));
        assertThatThrownBy(() -> codes.find(second.id())).isInstanceOf(LinkException.class)
                .extracting(e -> ((LinkException) e).reason()).isEqualTo(LinkException.Reason.EXPIRED);
        assertThat(codes.spend(second.id())).isFalse();
        assertThatThrownBy(() -> codes.find(new byte[LinkCode.ID_BYTES])).isInstanceOf(LinkException.class)
                .extracting(e -> ((LinkException) e).reason()).isEqualTo(LinkException.Reason.WRONG);
    }

    @Test
    void wrongProofsSpendTheCode() throws Exception {
        LinkCode code = codes.issue(1, device, List.of()).code();
        for (int i = 0; i < LinkCodes.MAX_FAILED_PROOFS - 1; i++) {
            codes.failedProof(code.id());
        }
        assertThat(codes.find(code.id())).isNotNull();
        codes.failedProof(code.id());
        assertThatThrownBy(() -> codes.find(code.id())).isInstanceOf(LinkException.class)
                .extracting(e -> ((LinkException) e).reason()).isEqualTo(LinkException.Reason.USED);
    }

    @Test
    void theProofDependsOnEveryBoundValue() {
        byte[] secret = new byte[32];
        byte[] id = LinkCode.id(secret);
        PeerId a = DeviceListTest.peer();
        PeerId b = DeviceListTest.peer();
        byte[] n1 = new byte[32];
        byte[] n2 = new byte[32];
        n2[0] = 1;
        byte[] proof = LinkProof.ofNewDevice(secret, id, a, b, n1, n2);
        assertThat(LinkProof.matches(proof, LinkProof.ofNewDevice(secret, id, a, b, n1, n2))).isTrue();
        assertThat(LinkProof.matches(proof, LinkProof.ofNewDevice(secret, id, b, a, n1, n2))).isFalse();
        assertThat(LinkProof.matches(proof, LinkProof.ofNewDevice(secret, id, a, b, n2, n1))).isFalse();
        assertThat(LinkProof.matches(proof, LinkProof.ofExistingDevice(secret, id, a, b, n1, n2))).isFalse();
        byte[] other = secret.clone();
        other[31] = 1;
        assertThat(LinkProof.matches(proof, LinkProof.ofNewDevice(other, id, a, b, n1, n2))).isFalse();
    }
}
