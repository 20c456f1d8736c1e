package org.parley.node.nat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.testing.CliRun;

/**
 * Three whole nodes on loopback: a relay (relay service on), a node that reserves a slot there by
 * listening on the relay's circuit address, and a node that reaches it only through the relay.
 */
@Tag("slow")
class RelayedNodesTest {

    private static final Multiaddr LOOPBACK_RANDOM_PORT = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    @TempDir
    Path relayDir;

    @TempDir
    Path listenerDir;

    @TempDir
    Path dialerDir;

    private final List<ParleyNode> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.reversed().forEach(ParleyNode::close);
    }

    @Test
    void aNodeReservesAtARelayNodeAndAnotherDialsAndPingsItThroughTheRelay() throws Exception {
        ParleyNode relay = start(relayDir, List.of(LOOPBACK_RANDOM_PORT), RelayServicePolicy.ON);
        Multiaddr circuit = relay.dialableAddresses().getFirst().encapsulate(Multiaddr.parse("/p2p-circuit"));
        ParleyNode listener = start(listenerDir, List.of(LOOPBACK_RANDOM_PORT, circuit), RelayServicePolicy.OFF);
        ParleyNode dialer = start(dialerDir, List.of(LOOPBACK_RANDOM_PORT), RelayServicePolicy.OFF);

        assertThat(listener.host().listenAddresses())
                .as("the reservation's circuit address is among the listener's addresses")
                .anyMatch(address -> address.components().stream()
                        .anyMatch(part -> part.protocol() == Protocol.P2P_CIRCUIT));

        Connection relayed = dialer.host().connect(circuit.withPeerId(listener.host().peerId()));

        assertThat(relayed.remotePeer()).isEqualTo(listener.host().peerId());
        assertThat(relayed.transport()).isEqualTo("relayed");
        assertThat(relayed.limited()).as("the relay's default limits mark the circuit limited").isTrue();
        assertThat(dialer.host().connections(listener.host().peerId()))
                .allMatch(connection -> connection.transport().equals("relayed"));
        Duration roundTrip = dialer.host().ping(listener.host().peerId());
        assertThat(roundTrip).isPositive();
    }

    @Test
    void twoNodesReservedAtOneRelayReachEachOtherThroughItFromTheCommandLine() throws Exception {
        ParleyNode relay = start(relayDir, List.of(LOOPBACK_RANDOM_PORT), RelayServicePolicy.ON);
        Multiaddr circuit = relay.dialableAddresses().getFirst().encapsulate(Multiaddr.parse("/p2p-circuit"));
        ParleyNode listener = start(listenerDir, List.of(LOOPBACK_RANDOM_PORT, circuit), RelayServicePolicy.OFF);
        start(dialerDir, List.of(LOOPBACK_RANDOM_PORT, circuit), RelayServicePolicy.OFF);
        String listenerViaRelay = circuit.withPeerId(listener.host().peerId()).toString();

        JsonNode ping = CliRun.json(dialerDir, "ping", listenerViaRelay, "--count", "1");

        assertThat(ping.get("peerId").asText()).isEqualTo(listener.host().peerId().toBase58());
        assertThat(ping.get("rttMs")).hasSize(1);
    }

    /**
     * The seeker knows the hidden node only by its PeerId; the DHT (whose join may already have
     * dialed it) gives its circuit address, so every connection between them is relayed.
     */
    @Test
    void pingByPeerIdReachesAPeerWhoseOnlyAddressIsThroughARelay() throws Exception {
        ParleyNode relay = start(relayDir, List.of(LOOPBACK_RANDOM_PORT), List.of(), RelayServicePolicy.ON);
        Multiaddr relayAddress = relay.dialableAddresses().getFirst();
        Multiaddr circuit = relayAddress.encapsulate(Multiaddr.parse("/p2p-circuit"));
        ParleyNode hidden = start(listenerDir, List.of(circuit), List.of(relayAddress), RelayServicePolicy.OFF);
        ParleyNode seeker = start(dialerDir, List.of(LOOPBACK_RANDOM_PORT), List.of(relayAddress),
                RelayServicePolicy.OFF);
        assertThat(hidden.host().listenAddresses()).as("the hidden node has no direct address")
                .allMatch(address -> address.components().stream()
                        .anyMatch(part -> part.protocol() == Protocol.P2P_CIRCUIT));

        JsonNode ping = CliRun.json(dialerDir, "ping", hidden.host().peerId().toBase58(), "--count", "1");

        assertThat(ping.get("peerId").asText()).isEqualTo(hidden.host().peerId().toBase58());
        assertThat(ping.get("rttMs")).hasSize(1);
        assertThat(seeker.host().connections(hidden.host().peerId()))
                .isNotEmpty()
                .allMatch(connection -> connection.transport().equals("relayed"));
    }

    private ParleyNode start(Path dir, List<Multiaddr> listen, List<Multiaddr> bootstrap,
            RelayServicePolicy relayService) throws Exception {
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(dir), listen, bootstrap, 0,
                ModePolicy.SERVER, null, relayService));
        nodes.add(node);
        return node;
    }

    private ParleyNode start(Path dir, List<Multiaddr> listen, RelayServicePolicy relayService) throws Exception {
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(dir), listen, List.of(), 0,
                ModePolicy.SERVER, null, relayService));
        nodes.add(node);
        return node;
    }
}
