package org.parley.node.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.events.EventJson;
import org.parley.node.events.NodeEvent;

class SyncStateEventTest {

    private final PeerId device = PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(new byte[32]).publicKey());

    @Test
    void aSyncStateEventCarriesTheDeviceItsStateAndWhenItLastSynced() {
        assertThat(EventJson.toJson(new NodeEvent.SyncState(device, "behind", 12, 1700000000000L, null)))
                .isEqualTo("{\"type\":\"sync.state\",\"peerId\":\"" + device.toBase58() + "\",\"state\":\"behind\","
                        + "\"behindBy\":12,\"lastSyncMillis\":1700000000000}");
    }

    @Test
    void aFailedStateSaysWhyAndNeverSyncedHasNoTime() {
        assertThat(EventJson.toJson(new NodeEvent.SyncState(device, "failed", 0, null, "refused an invalid entry")))
                .isEqualTo("{\"type\":\"sync.state\",\"peerId\":\"" + device.toBase58() + "\",\"state\":\"failed\","
                        + "\"behindBy\":0,\"lastSyncMillis\":null,\"error\":\"refused an invalid entry\"}");
    }
}
