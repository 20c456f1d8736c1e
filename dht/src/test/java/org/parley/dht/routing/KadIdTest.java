package org.parley.dht.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.peer.PeerId;

class KadIdTest {

    @Test
    void kademliaIdOfAPeerIsSha256OfItsBinaryPeerId() {
        // docs/libp2p-wire.md §1 test vector and the ipfs/specs kad-dht.md cross-check.
        assertThat(KadId.of(PeerId.parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq")).toString())
                .isEqualTo("dfd53212a4bd2beda3ea8e82d08285370c70a70cfe9c588e28754b23c8033121");
        assertThat(KadId.of(PeerId.parse("12D3KooWLU2znyJMtDiHArqAGbZn8CgUGp92kxDBtefftEEaHSZS")).toString())
                .isEqualTo("e43d28f0996557c0d5571d75c62a57a59d7ac1d30a51ecedcdb9d5e4afa56100");
    }

    @Test
    void commonPrefixLengthCountsSharedLeadingBits() {
        KadId zero = id("0000000000000000000000000000000000000000000000000000000000000000");
        assertThat(zero.commonPrefixLength(zero)).isEqualTo(256);
        assertThat(zero.commonPrefixLength(id("8000000000000000000000000000000000000000000000000000000000000000")))
                .isZero();
        assertThat(zero.commonPrefixLength(id("0000000000000000010000000000000000000000000000000000000000000000")))
                .isEqualTo(71);
        assertThat(zero.commonPrefixLength(id("0000000000000000000000000000000000000000000000000000000000000001")))
                .isEqualTo(255);
    }

    @Test
    void distanceIsXorComparedAsUnsignedBigEndian() {
        KadId target = id("f000000000000000000000000000000000000000000000000000000000000000");
        KadId near = id("f100000000000000000000000000000000000000000000000000000000000000");
        KadId far = id("7000000000000000000000000000000000000000000000000000000000000000");
        assertThat(target.compareDistance(near, far)).isNegative();
        assertThat(target.compareDistance(far, near)).isPositive();
        assertThat(target.compareDistance(near, near)).isZero();
        assertThat(target.xor(far).toString()).startsWith("80");
        assertThat(target.xor(near).compareTo(target.xor(far))).isNegative();
    }

    @Test
    void flipBitAndBitAddressBitsFromTheMostSignificant() {
        KadId zero = id("0000000000000000000000000000000000000000000000000000000000000000");
        KadId flipped = zero.flipBit(70);
        assertThat(flipped.bit(70)).isTrue();
        assertThat(flipped.bit(69)).isFalse();
        assertThat(zero.commonPrefixLength(flipped)).isEqualTo(70);
        assertThat(KadId.fromBytes(flipped.bytes())).isEqualTo(flipped);
    }

    private static KadId id(String hex) {
        return KadId.fromBytes(HexFormat.of().parseHex(hex));
    }
}
