package org.parley.node.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.parley.dht.record.ParleyRecord;
import org.parley.dht.record.PublicKeyValidator;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.multiformats.Multibase;
import org.parley.libp2p.multiformats.Multihash;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.identity.UserRendezvous;

class DhtKeysTest {

    private final Ed25519PrivateKey key = Ed25519PrivateKey.generate();
    private final PeerId self = PeerId.fromPublicKey(key.publicKey());
    private final byte[] helloHash = Multihash.sha256("hello".getBytes(StandardCharsets.UTF_8)).bytes();

    @Test
    void selfIsTheNodesRendezvousKey() {
        DhtKeys.ProviderKey providerKey = DhtKeys.providerKey("self", self, key.publicKey().marshal());

        assertThat(providerKey.bytes()).isEqualTo(UserRendezvous.key(key.publicKey()));
        assertThat(providerKey.text()).startsWith("Qm");
    }

    @Test
    void readsABase58Multihash() {
        DhtKeys.ProviderKey providerKey = DhtKeys.providerKey(Base58.encode(helloHash), self, new byte[0]);

        assertThat(providerKey.bytes()).isEqualTo(helloHash);
        assertThat(providerKey.text()).isEqualTo(Base58.encode(helloHash));
    }

    @Test
    void readsTheMultihashOfACidV1() {
        byte[] cid = new byte[2 + helloHash.length];
        cid[0] = 0x01;
        cid[1] = 0x55;
        System.arraycopy(helloHash, 0, cid, 2, helloHash.length);

        DhtKeys.ProviderKey providerKey = DhtKeys.providerKey(Multibase.encodeBase32(cid), self, new byte[0]);

        assertThat(providerKey.bytes()).isEqualTo(helloHash);
    }

    @Test
    void refusesTextThatIsNoKey() {
        assertThatThrownBy(() -> DhtKeys.providerKey("hello world", self, new byte[0]))
                .isInstanceOf(org.parley.node.service.ServiceException.class)
                .hasMessageEndingWith("a provider key is a CID (bafy...), a base58 multihash (Qm...) or 'self'");
    }

    @Test
    void readsPublicKeyRecordKeys() {
        DhtKeys.RecordKey recordKey = DhtKeys.recordKey("/pk/" + self, self);

        assertThat(recordKey.bytes()).isEqualTo(PublicKeyValidator.keyFor(self));
        assertThat(recordKey.text()).isEqualTo("/pk/" + self);
    }

    @Test
    void readsParleyRecordKeysWithSelfForTheNodesPeerId() {
        DhtKeys.RecordKey recordKey = DhtKeys.recordKey("/parley/self/status", self);

        assertThat(recordKey.bytes()).isEqualTo(ParleyRecord.keyFor(self, "status"));
        assertThat(recordKey.text()).isEqualTo("/parley/" + self + "/status");
        assertThat(recordKey.name()).isEqualTo("status");
    }

    @Test
    void keepsSlashesInRecordNames() {
        assertThat(DhtKeys.recordKey("/parley/self/a/b", self).name()).isEqualTo("a/b");
    }

    @Test
    void refusesUnknownNamespaces() {
        assertThatThrownBy(() -> DhtKeys.recordKey("/ipns/" + self, self))
                .hasMessage("unknown record namespace 'ipns'; a record key is /pk/<PeerId> or"
                        + " /parley/<PeerId>/<name> ('self' for this node's PeerId)");
    }

    @Test
    void refusesAParleyKeyWithoutName() {
        assertThatThrownBy(() -> DhtKeys.recordKey("/parley/" + self, self))
                .hasMessageStartingWith("record key '/parley/" + self + "' has no name; ");
    }
}
