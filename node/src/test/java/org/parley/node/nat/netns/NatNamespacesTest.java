package org.parley.node.nat.netns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole nodes behind real (Linux, iptables) NATs in network namespaces: a relay node, which is also
 * the DHT's bootstrap server, on the public network beside a STUN server, and a node in each of two
 * home networks, each of which knows the other only by its PeerId.
 */
@Tag("slow")
class NatNamespacesTest {

    /** The relay's and the home nodes' TCP port (each namespace has its own ports). */
    private static final int PORT = 4001;

    /** Long enough for a DHT lookup, a relay reservation and a hole punch on a loaded machine. */
    private static final Duration WAIT = Duration.ofSeconds(120);

    /** The file the direct test sends: 16 MiB, far over what a relay's limited circuit lets through. */
    private static final int FILE_BYTES = 16 * 1024 * 1024;

    @TempDir
    Path dir;

    private NatLab lab;

    @AfterEach
    void removeLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void twoHomeNodesBehindNatsFindEachOtherThroughTheDhtAndConnectThroughTheRelay() throws Exception {
        lab = NatLab.build(dir, NatBehaviour.PORT_RESTRICTED, NatBehaviour.PORT_RESTRICTED);
        assertThat(lab.stunMappedAddress(1)).as("home 1 reaches the public network through its NAT")
                .startsWith(NatLab.natPublicIp(1) + ":");
        assertThat(lab.stunMappedAddress(2)).as("home 2 reaches the public network through its NAT")
                .startsWith(NatLab.natPublicIp(2) + ":");
        assertThat(lab.mappingBehaviour(1)).isEqualTo(NatBehaviour.PORT_RESTRICTED.mapping());
        Network network = startNodes(List.of());

        pingByPeerId(network.home1(), network.home2());

        assertRelayed(network.home1(), network.home2());
        assertRelayed(network.home2(), network.home1());
        assertThat(addresses(network.relay().peer(network.home1().peerId())))
                .as("the relay sees home 1 at its NAT's public address")
                .anyMatch(address -> address.startsWith("/ip4/" + NatLab.natPublicIp(1) + "/"));
    }

    @Test
    void behindASymmetricNatTheNodesStayConnectedThroughTheRelay() throws Exception {
        lab = NatLab.build(dir, NatBehaviour.SYMMETRIC, NatBehaviour.PORT_RESTRICTED);
        assertThat(lab.stunMappedAddress(1)).startsWith(NatLab.natPublicIp(1) + ":");
        assertThat(lab.mappingBehaviour(1)).as("home 1's NAT maps each destination to a fresh port")
                .isEqualTo(NatBehaviour.SYMMETRIC.mapping());
        assertThat(lab.mappingBehaviour(2)).isEqualTo(NatBehaviour.PORT_RESTRICTED.mapping());
        Network network = startNodes(List.of());

        pingByPeerId(network.home1(), network.home2());
        assertRelayed(network.home1(), network.home2());
        assertRelayed(network.home2(), network.home1());

        // Still connected, and still through the relay, for a second exchange.
        pingByPeerId(network.home2(), network.home1());
        assertRelayed(network.home1(), network.home2());

        // Chat is small enough for the relay's limited circuit: a contact request, its acceptance
        // and a message all go through the relay.
        NetnsNode home1 = network.home1();
        NetnsNode home2 = network.home2();
        home1.post("/api/contacts", "{\"contact\":\"" + home2.userId() + "\",\"intro\":\"hello through the relay\"}");
        await("home 2 sees home 1's request", () -> contactState(home2, home1.userId()).equals("pending"));
        home2.post("/api/contacts/accept", "{\"contact\":\"" + home1.userId() + "\"}");
        await("home 1 sees the acceptance", () -> contactState(home1, home2.userId()).equals("accepted"));
        home1.post("/api/messages", "{\"contact\":\"" + home2.userId() + "\",\"text\":\"through a symmetric NAT\"}");
        await("home 2 has the message", () -> historyTexts(home2, home1.userId()).contains("through a symmetric NAT"));
        assertRelayed(home1, home2);
        assertRelayed(home2, home1);
    }

    @Test
    void theNamespacesOfAKilledRunAndTheProcessesInThemAreRemoved() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String leftover = "pnat" + gone.pid() + "-pub";
        run("ip", "netns", "add", leftover);
        Process stray = new ProcessBuilder("ip", "netns", "exec", leftover, "sleep", "600").start();

        lab = NatLab.build(dir, NatBehaviour.PORT_RESTRICTED, NatBehaviour.PORT_RESTRICTED);

        assertThat(run("ip", "netns", "list")).doesNotContain(leftover).contains(lab.publicNamespace());
        assertThat(stray.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("the stray process was killed")
                .isTrue();
    }

    @Test
    void closingTheLabRemovesItsNamespaces() throws Exception {
        lab = NatLab.build(dir, NatBehaviour.PORT_RESTRICTED, NatBehaviour.SYMMETRIC);
        String namespaces = run("ip", "netns", "list");
        assertThat(namespaces).contains(lab.publicNamespace(), lab.natNamespace(2), lab.homeNamespace(2));

        lab.close();
        NatLab closed = lab;
        lab = null;

        assertThat(run("ip", "netns", "list")).doesNotContain(closed.publicNamespace(), closed.natNamespace(1),
                closed.homeNamespace(1), closed.natNamespace(2), closed.homeNamespace(2));
    }

    /**
     * The relayed connection upgrades to a direct WebRTC one (ICE through both NATs, with the
     * public STUN server), the relayed one closes, and a chat message and a 16 MiB file (which a
     * relay's limited circuit could never carry) go over the direct connection.
     */
    @Test
    void behindPortRestrictedNatsTheRelayedConnectionUpgradesToDirectWebRtc() throws Exception {
        lab = NatLab.build(dir, NatBehaviour.PORT_RESTRICTED, NatBehaviour.PORT_RESTRICTED);
        Network network = startNodes(List.of("--stun", "stun:" + NatLab.PUBLIC_IP + ":" + NatLab.STUN_PORT));
        NetnsNode home1 = network.home1();
        NetnsNode home2 = network.home2();

        pingByPeerId(home1, home2);
        awaitTransport(home1, home2, "webrtc");
        awaitTransport(home2, home1, "webrtc");
        assertThat(home1.peer(home2.peerId()).get("limited").asBoolean()).isFalse();

        home1.post("/api/contacts", "{\"contact\":\"" + home2.userId() + "\",\"intro\":\"hello from home 1\"}");
        await("home 2 sees home 1's request", () -> contactState(home2, home1.userId()).equals("pending"));
        home2.post("/api/contacts/accept", "{\"contact\":\"" + home1.userId() + "\"}");
        await("home 1 sees the acceptance", () -> contactState(home1, home2.userId()).equals("accepted"));
        home1.post("/api/messages", "{\"contact\":\"" + home2.userId() + "\",\"text\":\"through two NATs\"}");
        await("home 2 has the message", () -> historyTexts(home2, home1.userId()).contains("through two NATs"));

        Path file = dir.resolve("sixteen.bin");
        byte[] content = new byte[FILE_BYTES];
        new Random(9).nextBytes(content);
        Files.write(file, content);
        Path out = Files.createDirectories(dir.resolve("downloads"));
        String link = home2.post("/api/files/share", "{\"path\":\"" + file + "\"}").get("link").asText();
        String id = home1.post("/api/files/get", "{\"link\":\"" + link + "\",\"out\":\"" + out + "\"}")
                .get("fileId").asText();
        await("the file arrives", () -> transferState(home1, id).equals("done"));
        assertThat(sha256(out.resolve("sixteen.bin"))).isEqualTo(sha256(file));
        awaitTransport(home1, home2, "webrtc");
    }

    private record Network(NetnsNode relay, NetnsNode home1, NetnsNode home2) {}

    /**
     * The relay (DHT server, relay service on) on the public network, then a node in each home,
     * bootstrapped from the relay and holding a reservation there; {@code extra} goes to every node.
     */
    private Network startNodes(List<String> extra) throws Exception {
        List<String> relayOptions = new ArrayList<>(List.of("--listen", "/ip4/" + NatLab.PUBLIC_IP + "/tcp/" + PORT,
                "--dht-mode", "server", "--relay-service", "on"));
        relayOptions.addAll(extra);
        NetnsNode relay = NetnsNode.start(lab, lab.publicNamespace(), dir.resolve("relay"), relayOptions);
        String relayAddress = "/ip4/" + NatLab.PUBLIC_IP + "/tcp/" + PORT + "/p2p/" + relay.peerId();
        List<NetnsNode> homes = new ArrayList<>();
        for (int home = 1; home <= 2; home++) {
            List<String> options = new ArrayList<>(List.of("--listen", "/ip4/" + NatLab.homeIp(home) + "/tcp/" + PORT,
                    "--listen", relayAddress + "/p2p-circuit", "--bootstrap", relayAddress,
                    "--relay-service", "off"));
            options.addAll(extra);
            homes.add(NetnsNode.start(lab, lab.homeNamespace(home), dir.resolve("home" + home), options));
        }
        return new Network(relay, homes.get(0), homes.get(1));
    }

    /** {@code from} pings {@code to} knowing only its PeerId, so it finds it through the DHT. */
    private static void pingByPeerId(NetnsNode from, NetnsNode to) throws Exception {
        JsonNode ping = from.post("/api/ping", "{\"peer\":\"" + to.peerId() + "\",\"count\":1}");
        assertThat(ping.get("peerId").asText()).isEqualTo(to.peerId());
        assertThat(ping.get("rttMs")).hasSize(1);
    }

    private static void assertRelayed(NetnsNode at, NetnsNode other) throws Exception {
        JsonNode peer = at.peer(other.peerId());
        assertThat(peer).as("%s is connected to %s (log: %s)", at.peerId(), other.peerId(), at.log()).isNotNull();
        assertThat(peer.get("transport").asText()).isEqualTo("relayed");
        assertThat(peer.get("limited").asBoolean()).as("the relay's circuit has limits").isTrue();
        assertThat(addresses(peer)).as("every address it has for the peer is through the relay")
                .isNotEmpty()
                .allMatch(address -> address.contains("/p2p-circuit"));
    }

    private static List<String> addresses(JsonNode peer) {
        assertThat(peer).isNotNull();
        List<String> addresses = new ArrayList<>();
        peer.get("addresses").forEach(address -> addresses.add(address.asText()));
        return addresses;
    }

    private static void awaitTransport(NetnsNode at, NetnsNode other, String transport) throws Exception {
        await(at.peerId() + " reaches " + other.peerId() + " over " + transport, () -> {
            JsonNode peer = at.peer(other.peerId());
            return peer != null && peer.get("transport").asText().equals(transport);
        });
    }

    private static String contactState(NetnsNode at, String userId) throws Exception {
        for (JsonNode list : List.of(at.get("/api/contacts").get("contacts"), at.get("/api/requests").get("contacts"))) {
            for (JsonNode contact : list) {
                if (contact.get("userId").asText().equals(userId)) {
                    return contact.get("state").asText();
                }
            }
        }
        return "";
    }

    private static List<String> historyTexts(NetnsNode at, String userId) throws Exception {
        List<String> texts = new ArrayList<>();
        at.post("/api/messages/history", "{\"contact\":\"" + userId + "\"}").get("messages")
                .forEach(message -> texts.add(message.get("text").asText()));
        return texts;
    }

    private static String transferState(NetnsNode at, String id) throws Exception {
        return at.post("/api/transfers/show", "{\"id\":\"" + id + "\"}").get("state").asText();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls {@code check} every 250 ms (the state lives in child processes) until it holds; fails after {@link #WAIT}. */
    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(250);
        }
    }
}
