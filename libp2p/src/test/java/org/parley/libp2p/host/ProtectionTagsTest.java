package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;

/** A peer protected for several reasons stays protected until every reason is withdrawn. */
class ProtectionTagsTest {

    private final Host host = Libp2p.newHost().identity(Ed25519PrivateKey.generate()).listen(List.of()).build();

    @AfterEach
    void close() {
        host.close();
    }

    @Test
    void withdrawingOneReasonKeepsTheOthers() {
        PeerId peer = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        host.protect(peer, "bootstrap");
        host.protect(peer, "contact/1");
        host.protect(peer, "contact/1");

        assertThat(host.unprotect(peer, "contact/1")).as("still a bootstrap peer").isTrue();
        assertThat(host.unprotect(peer, "contact/1")).as("withdrawing twice changes nothing").isTrue();
        assertThat(host.unprotect(peer, "bootstrap")).as("no reason left").isFalse();
        assertThat(host.unprotect(peer, "relay-client")).isFalse();
    }
}
