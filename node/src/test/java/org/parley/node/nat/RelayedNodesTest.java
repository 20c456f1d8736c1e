package org.parley.node.nat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.transport.webrtc.WebRtcSupport;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.testing.CliRun;

/**
 * Three whole nodes on loopback: a relay (relay service on), a node that reserves a slot there by
 * listening on the relay's circuit address, and a node that reaches it only through the relay,
 * then directly over WebRTC when both have it.
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
     * dialed it) gives its circuit address, so the first connection between them is relayed. Both
     * speak WebRTC, so the seeker then signals over the relayed connection and upgrades: a direct
     * WebRTC connection comes, the relayed one closes, and {@code parley peers} says so.
     */
    @Test
    void pingByPeerIdReachesAPeerWhoseOnlyAddressIsThroughARelayAndThenUpgradesToWebRtc() throws Exception {
        ParleyNode relay = start(relayDir, List.of(LOOPBACK_RANDOM_PORT), List.of(), RelayServicePolicy.ON);
        Multiaddr relayAddress = relay.dialableAddresses().getFirst();
        Multiaddr circuit = relayAddress.encapsulate(Multiaddr.parse("/p2p-circuit"));
        ParleyNode hidden = start(listenerDir, List.of(circuit), List.of(relayAddress), RelayServicePolicy.OFF);
        ParleyNode seeker = start(dialerDir, List.of(LOOPBACK_RANDOM_PORT), List.of(relayAddress),
                RelayServicePolicy.OFF);
        assertThat(hidden.host().listenAddresses()).as("the hidden node has no direct address")
                .allMatch(address -> address.components().stream()
                        .anyMatch(part -> part.protocol() == Protocol.P2P_CIRCUIT));
        assertThat(hidden.host().listenAddresses()).as("it announces WebRTC through the relay")
                .contains(circuit.encapsulate(Multiaddr.parse("/webrtc")));
        PeerId hiddenId = hidden.host().peerId();
        CountDownLatch direct = new CountDownLatch(1);
        CountDownLatch relayedGone = new CountDownLatch(1);
        seeker.host().subscribe(event -> {
            if (event instanceof HostEvent.PeerConnected c && c.peer().equals(hiddenId)
                    && c.connection().transport().equals("webrtc")) {
                direct.countDown();
            }
            if (event instanceof HostEvent.PeerDisconnected d && d.peer().equals(hiddenId)
                    && d.connection().transport().equals("relayed")) {
                relayedGone.countDown();
            }
        });
        // The seeker's DHT join may have dialed the hidden node, and upgraded, before the subscription.
        List<Connection> already = seeker.host().connections(hiddenId);
        if (already.stream().anyMatch(c -> c.isOpen() && c.transport().equals("webrtc"))) {
            direct.countDown();
            if (already.stream().noneMatch(c -> c.isOpen() && c.transport().equals("relayed"))) {
                relayedGone.countDown();
            }
        }

        JsonNode ping = CliRun.json(dialerDir, "ping", hiddenId.toBase58(), "--count", "1");

        assertThat(ping.get("peerId").asText()).isEqualTo(hiddenId.toBase58());
        assertThat(ping.get("rttMs")).hasSize(1);
        assertThat(direct.await(30, TimeUnit.SECONDS)).as("a direct WebRTC connection to the hidden node").isTrue();
        assertThat(relayedGone.await(30, TimeUnit.SECONDS)).as("the relayed connection closed").isTrue();
        // A relayed dial made while the upgrade ran (the ping's) may land just after; it closes too.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (seeker.host().connections(hiddenId).stream().anyMatch(c -> !c.transport().equals("webrtc"))
                && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(seeker.host().connections(hiddenId)).extracting(Connection::transport).containsOnly("webrtc");

        JsonNode peers = CliRun.json(dialerDir, "peers");
        assertThat(peers.get("webrtc").get("available").asBoolean()).isTrue();
        JsonNode hiddenPeer = null;
        for (JsonNode peer : peers.get("peers")) {
            if (peer.get("peerId").asText().equals(hiddenId.toBase58())) {
                hiddenPeer = peer;
            }
        }
        assertThat(hiddenPeer).as("the hidden node among the peers").isNotNull();
        assertThat(hiddenPeer.get("transport").asText()).isEqualTo("webrtc");
        assertThat(hiddenPeer.get("connections")).allSatisfy(c -> assertThat(c.get("transport").asText())
                .isEqualTo("webrtc"));
    }

    /** Without the native WebRTC library the same two nodes meet through the relay and stay relayed. */
    @Test
    void withoutWebRtcTheNodesStayRelayedAndSayWhy() throws Exception {
        ParleyNode relay = start(relayDir, List.of(LOOPBACK_RANDOM_PORT), List.of(), RelayServicePolicy.ON);
        Multiaddr relayAddress = relay.dialableAddresses().getFirst();
        Multiaddr circuit = relayAddress.encapsulate(Multiaddr.parse("/p2p-circuit"));
        WebRtcSupport.Status off = new WebRtcSupport.Status(false, "the test forced it off");
        ParleyNode hidden = start(listenerDir, List.of(circuit), List.of(relayAddress), off);
        ParleyNode seeker = start(dialerDir, List.of(LOOPBACK_RANDOM_PORT), List.of(relayAddress), off);
        assertThat(hidden.host().listenAddresses()).as("no /webrtc announced")
                .noneMatch(address -> address.components().stream()
                        .anyMatch(part -> part.protocol() == Protocol.WEBRTC));

        JsonNode ping = CliRun.json(dialerDir, "ping", hidden.host().peerId().toBase58(), "--count", "1");

        assertThat(ping.get("rttMs")).hasSize(1);
        assertThat(seeker.host().connections(hidden.host().peerId()))
                .isNotEmpty()
                .allMatch(connection -> connection.transport().equals("relayed"));
        JsonNode peers = CliRun.json(dialerDir, "peers");
        assertThat(peers.get("webrtc").get("available").asBoolean()).isFalse();
        assertThat(peers.get("webrtc").get("reason").asText()).contains("the test forced it off");
        CliRun text = CliRun.run(dialerDir, "peers");
        assertThat(text.out()).contains("transport: relayed", "WebRTC: not available", "the test forced it off");
    }

    /**
     * Chat frames and prekey bundles are small enough for a relay's limited circuit: two nodes
     * without WebRTC whose only addresses are through the relay exchange a contact request, its
     * acceptance and a message there, and stay relayed.
     */
    @Test
    void withoutWebRtcAContactRequestAndAMessageGoThroughTheRelay() throws Exception {
        ParleyNode relay = start(relayDir, List.of(LOOPBACK_RANDOM_PORT), List.of(), RelayServicePolicy.ON);
        Multiaddr relayAddress = relay.dialableAddresses().getFirst();
        Multiaddr circuit = relayAddress.encapsulate(Multiaddr.parse("/p2p-circuit"));
        WebRtcSupport.Status off = new WebRtcSupport.Status(false, "this test is about chat through a relay");
        ParleyNode hidden = start(listenerDir, List.of(circuit), List.of(relayAddress), off);
        ParleyNode seeker = start(dialerDir, List.of(circuit), List.of(relayAddress), off);
        String hiddenUser = hidden.userId().orElseThrow().text();
        String seekerUser = seeker.userId().orElseThrow().text();

        CliRun.json(dialerDir, "contacts", "add", hiddenUser, "--intro", "hello through the relay");
        awaitCli("the hidden node sees the request", () -> CliRun.json(listenerDir, "requests").toString()
                .contains(seekerUser));
        CliRun.json(listenerDir, "accept", seekerUser);
        awaitCli("the seeker sees the acceptance", () -> contactState(dialerDir, hiddenUser).equals("accepted"));
        CliRun.json(dialerDir, "send", hiddenUser, "a message through the relay");
        awaitCli("the hidden node has the message", () -> CliRun.json(listenerDir, "history", seekerUser).toString()
                .contains("a message through the relay"));

        assertThat(seeker.host().connections(hidden.host().peerId()))
                .as("every connection between them runs through the relay")
                .isNotEmpty()
                .allMatch(connection -> connection.transport().equals("relayed") && connection.limited());
    }

    private static String contactState(Path dataDir, String userId) throws Exception {
        for (JsonNode contact : CliRun.json(dataDir, "contacts").get("contacts")) {
            if (contact.get("userId").asText().equals(userId)) {
                return contact.get("state").asText();
            }
        }
        return "";
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls {@code check} (the state is behind the CLI) every 200 ms until it holds; fails after 60 s. */
    private static void awaitCli(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(200);
        }
    }

    private ParleyNode start(Path dir, List<Multiaddr> listen, List<Multiaddr> bootstrap, WebRtcSupport.Status webrtc)
            throws Exception {
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(dir), listen, bootstrap, 0,
                ModePolicy.SERVER, null, RelayServicePolicy.OFF), ParleyNode.defaultFeatures(), InstantSource.system(),
                () -> webrtc);
        nodes.add(node);
        return node;
    }

    private ParleyNode start(Path dir, List<Multiaddr> listen, List<Multiaddr> bootstrap,
            RelayServicePolicy relayService) throws Exception {
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(dir), listen, bootstrap, 0,
                ModePolicy.SERVER, null, relayService));
        nodes.add(node);
        return node;
    }

    /** A node without WebRTC, so no upgrade races the assertions about relayed connections. */
    private ParleyNode start(Path dir, List<Multiaddr> listen, RelayServicePolicy relayService) throws Exception {
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(dir), listen, List.of(), 0,
                ModePolicy.SERVER, null, relayService), ParleyNode.defaultFeatures(), InstantSource.system(),
                () -> new WebRtcSupport.Status(false, "this test is about relays alone"));
        nodes.add(node);
        return node;
    }
}
