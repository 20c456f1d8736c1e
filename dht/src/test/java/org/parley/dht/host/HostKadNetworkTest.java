package org.parley.dht.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.dht.host.HostNodes.CONFIG;
import static org.parley.dht.host.HostNodes.awaitIdentified;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.dht.DhtConfig;
import org.parley.dht.DhtMode;
import org.parley.dht.host.HostNodes.Node;
import org.parley.dht.query.FindPeerResult;
import org.parley.dht.query.GetValueResult;
import org.parley.dht.record.ParleyRecord;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.KadProtocol;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Multihash;
import org.parley.libp2p.peer.PeerId;

/** A few Java DHT nodes on real hosts over loopback TCP, Noise and yamux. */
class HostKadNetworkTest {

    private final HostNodes nodes = new HostNodes();

    @AfterEach
    void closeAll() throws Exception {
        nodes.close();
    }

    @Test
    void serversAnnounceKadAndAdmitEachOtherThroughIdentify() throws Exception {
        List<Node> servers = nodes.network(3);
        assertThat(servers.get(0).host().protocols()).contains(KadProtocol.PROTOCOL_ID);
        for (Node n : servers) {
            assertThat(n.dht().routingTable().peers()).extracting(PeerRef::id)
                    .containsExactlyInAnyOrderElementsOf(servers.stream().map(Node::id)
                            .filter(id -> !id.equals(n.id())).toList());
        }
    }

    @Test
    void findsPeersProvidersAndValuesAcrossHosts() throws Exception {
        List<Node> servers = nodes.network(5);
        Node asker = servers.get(4);
        Node target = servers.get(1);
        assertThat(asker.dht().findPeer(target.id()).peer()).hasValueSatisfying(
                p -> assertThat(p.addrs()).containsAnyElementsOf(target.host().listenAddresses()));

        byte[] key = Multihash.sha256(Ed25519PrivateKey.generate().publicKey().marshal()).bytes();
        assertThat(servers.get(2).dht().provide(key)).isEqualTo(4);
        List<PeerRef> found = new ArrayList<>();
        servers.get(3).dht().findProviders(key, 1, found::add);
        assertThat(found).extracting(PeerRef::id).containsExactly(servers.get(2).id());

        ParleyRecord record = ParleyRecord.sign(Ed25519PrivateKey.generate(), "devices", 3, new byte[] {1, 2});
        assertThat(servers.get(0).dht().putValue(record.key(), record.value())).isEqualTo(4);
        GetValueResult got = servers.get(4).dht().getValue(record.key());
        assertThat(got.value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(record.value()));
    }

    @Test
    void bootstrapsFromMultiaddrsAndAdmitsOnlyDhtServers() throws Exception {
        List<Node> servers = nodes.network(3);
        Node client = nodes.node(CONFIG.withMode(DhtConfig.ModePolicy.CLIENT));
        Multiaddr nobody = Multiaddr.parse("/ip4/127.0.0.1/tcp/1/p2p/" + PeerId.fromPublicKey(
                Ed25519PrivateKey.generate().publicKey()));
        Node joining = nodes.node(CONFIG.withBootstrap(List.of(servers.get(0).multiaddr(), client.multiaddr(), nobody)));

        assertThat(joining.dht().bootstrap()).isEqualTo(3);
        assertThat(joining.dht().routingTable().peers()).extracting(PeerRef::id)
                .containsExactlyInAnyOrderElementsOf(servers.stream().map(Node::id).toList());
    }

    @Test
    void findsAClientThroughTheServersItIsConnectedTo() throws Exception {
        List<Node> servers = nodes.network(3);
        Node client = nodes.node(CONFIG.withMode(DhtConfig.ModePolicy.CLIENT));
        client.dht().bootstrap(List.of(servers.get(0).ref()));
        awaitIdentified(servers.get(0), client.id());
        Node asker = nodes.node(CONFIG);
        asker.dht().bootstrap(List.of(servers.get(1).ref()));
        assertThat(asker.host().connections(client.id())).as("the asker never met the client").isEmpty();

        FindPeerResult found = asker.dht().findPeer(client.id());
        assertThat(found.peer()).hasValueSatisfying(
                p -> assertThat(p.addrs()).containsAnyElementsOf(client.host().listenAddresses()));
        assertThat(found.stats().rounds()).as("found by a lookup").isPositive();
        for (Node s : servers) {
            assertThat(s.dht().routingTable().find(client.id())).as("clients stay out of tables").isEmpty();
        }
    }

    @Test
    void aModeChangeIsPushedToConnectedPeersWhoseTablesFollow() throws Exception {
        List<Node> servers = nodes.network(2);
        Node server = servers.get(0);
        Node node = nodes.node(CONFIG.withMode(DhtConfig.ModePolicy.AUTO));
        PeerId id = node.id();
        assertThat(node.dht().mode()).isEqualTo(DhtMode.CLIENT);
        assertThat(node.host().protocols()).doesNotContain(KadProtocol.PROTOCOL_ID);
        node.dht().bootstrap(List.of(server.ref()));
        awaitIdentified(server, id);
        assertThat(node.dht().findPeer(servers.get(1).id()).peer()).isPresent();
        assertThat(server.host().peerstore().supports(id, KadProtocol.PROTOCOL_ID)).isFalse();
        assertThat(server.dht().routingTable().find(id)).as("clients stay out of tables").isEmpty();

        List<DhtMode> modes = new ArrayList<>();
        node.dht().addModeListener((previous, current) -> modes.add(current));
        CountDownLatch becameServer = identifiedAgain(server, id);
        node.dht().setReachable(true);
        assertThat(modes).containsExactly(DhtMode.SERVER);
        assertThat(node.host().protocols()).contains(KadProtocol.PROTOCOL_ID);
        assertThat(becameServer.await(10, TimeUnit.SECONDS)).as("identify push reached the server").isTrue();
        assertThat(server.host().peerstore().supports(id, KadProtocol.PROTOCOL_ID)).isTrue();
        assertThat(server.dht().routingTable().find(id)).isPresent();

        CountDownLatch becameClient = identifiedAgain(server, id);
        node.dht().setReachable(false);
        assertThat(becameClient.await(10, TimeUnit.SECONDS)).as("second identify push reached the server").isTrue();
        assertThat(server.host().peerstore().supports(id, KadProtocol.PROTOCOL_ID)).isFalse();
        assertThat(server.dht().routingTable().find(id)).as("a peer that stops serving leaves the table").isEmpty();
        assertThat(modes).containsExactly(DhtMode.SERVER, DhtMode.CLIENT);
    }

    /** A latch released when {@code node}'s host next hears identify from {@code peer} (a push). */
    private CountDownLatch identifiedAgain(Node node, PeerId peer) {
        CountDownLatch latch = new CountDownLatch(1);
        nodes.keep(node.host().subscribe(e -> {
            if (e instanceof HostEvent.PeerIdentified identified && identified.peer().equals(peer)) {
                latch.countDown();
            }
        }));
        return latch;
    }
}
