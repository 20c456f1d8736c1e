package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.ChatRendezvous;
import org.parley.chat.identity.UserId;
import org.parley.dht.host.HostKadNetwork;
import org.parley.dht.rpc.KadMessage;
import org.parley.dht.routing.PeerRef;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;

/**
 * A retired identity stops being provided on the DHT at once: the node drops its own provider
 * entry for the identity's rendezvous key and stops re-announcing it, while its other identities
 * stay findable. Asked over the wire: the DHT server sends GET_PROVIDERS straight to the node.
 */
class ChatRetireTest {

    private static final Duration RPC_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dirS;

    @TempDir
    Path dirA;

    private final ChatNodes nodes = new ChatNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aRetiredIdentityIsNoLongerProvidedByTheNodeFromTheMomentItIsRetired() throws Exception {
        ParleyNode server = nodes.startServer(dirS);
        ParleyNode a = nodes.start(dirA, 0);
        UserId work = UserId.parse(nodes.post(a, ApiPaths.IDENTITIES, "name", "Work").get("userId").asText());
        UserId first = a.userId().orElseThrow();
        HostKadNetwork asker = new HostKadNetwork(server.host());
        PeerRef node = new PeerRef(a.host().peerId(), a.dialableAddresses());

        ChatNodes.await("the node provides the new identity's rendezvous key",
                () -> providedBy(asker, node, work, a.host().peerId()));
        assertThat(providedBy(asker, node, first, a.host().peerId())).isTrue();

        nodes.post(a, ApiPaths.IDENTITIES_RETIRE, "identity", work.text());

        assertThat(providedBy(asker, node, work, a.host().peerId()))
                .as("the node answers no more for the retired identity").isFalse();
        assertThat(providedBy(asker, node, first, a.host().peerId()))
                .as("the other identity is still provided").isTrue();
    }

    private static boolean providedBy(HostKadNetwork asker, PeerRef node, UserId identity, PeerId self) {
        try {
            KadMessage answer = asker.request(node, KadMessage.getProviders(ChatRendezvous.key(identity)), RPC_TIMEOUT);
            return answer.providerPeers().stream().anyMatch(p -> p.id().equals(self));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
