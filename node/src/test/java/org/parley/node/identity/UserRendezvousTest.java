package org.parley.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.crypto.Ed25519PrivateKey;

class UserRendezvousTest {

    @Test
    void rendezvousKeyIsTheSha256MultihashOfTheDomainAndTheIdentityKey() throws Exception {
        byte[] identity = HexFormat.of().parseHex("080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("parley/user/v1".getBytes(StandardCharsets.US_ASCII));
        byte[] digest = sha.digest(identity);
        assertThat(HexFormat.of().formatHex(UserRendezvous.key(identity)))
                .isEqualTo("1220" + HexFormat.of().formatHex(digest));
        Ed25519PrivateKey spec = Ed25519PrivateKey.fromSeed(
                HexFormat.of().parseHex("7e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"));
        assertThat(UserRendezvous.key(spec.publicKey())).isEqualTo(UserRendezvous.key(identity));
    }
}
