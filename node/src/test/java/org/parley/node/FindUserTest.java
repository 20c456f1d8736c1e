package org.parley.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.api.ApiJson;
import org.parley.node.cli.ExitCode;
import org.parley.node.identity.UserRendezvous;
import org.parley.node.testing.CliRun;

/**
 * Finding a user's devices by hashed ID with three whole nodes on loopback TCP: A is the DHT
 * server B and C bootstrap from; B announces its rendezvous key, and C finds B through it.
 */
class FindUserTest {

    private static final Multiaddr LOOPBACK_RANDOM_PORT = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    /** The RSA PeerId of a public IPFS bootstrap node: a hash, with no key inside. */
    private static final String RSA_PEER_ID = "QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN";
    private static final Duration ANNOUNCE_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    @TempDir
    Path dirC;

    @TempDir
    Path dirD;

    @TempDir
    Path dirE;

    private final List<ParleyNode> nodes = new ArrayList<>();
    private ParleyNode a;
    private ParleyNode b;

    @BeforeEach
    void startThreeNodes() throws Exception {
        a = start(dirA, List.of());
        Multiaddr addressOfA = a.dialableAddresses().getFirst();
        b = start(dirB, List.of(addressOfA));
        start(dirC, List.of(addressOfA));
        assertThat(b.awaitRendezvousAnnounced(ANNOUNCE_TIMEOUT)).as("peers that took B's announcement").isPositive();
    }

    @AfterEach
    void stop() {
        nodes.reversed().forEach(ParleyNode::close);
    }

    @Test
    void findsTheDeviceOfAUserByItsPeerIdAndGetsItsAddresses() throws Exception {
        JsonNode found = CliRun.json(dirC, "find-user", peerB().toBase58());

        assertThat(found.get("peer").asText()).isEqualTo(peerB().toBase58());
        assertThat(found.get("rendezvousKey").asText()).isEqualTo(rendezvousKeyOfB());
        JsonNode device = found.get("devices").get(0);
        assertThat(found.get("devices")).hasSize(1);
        assertThat(device.get("peerId").asText()).isEqualTo(peerB().toBase58());
        assertThat(device.get("addresses")).extracting(JsonNode::asText)
                .contains(b.dialableAddresses().getFirst().toString());
    }

    @Test
    void aNodeThatJoinedWithNoPeersAnnouncesItselfOnceDhtServersArrive() throws Exception {
        assertThat(a.awaitRendezvousAnnounced(ANNOUNCE_TIMEOUT)).as("peers that took A's announcement").isPositive();

        JsonNode found = CliRun.json(dirC, "find-user", a.host().peerId().toBase58());

        assertThat(found.get("devices")).extracting(d -> d.get("peerId").asText())
                .containsExactly(a.host().peerId().toBase58());
    }

    /** Regression: a lone server whose peers are all clients waited a minute before it could be found. */
    @Test
    void aLoneServerWithOnlyClientPeersIsFoundAtOnce() throws Exception {
        ParleyNode lone = start(dirD, List.of());
        ParleyNode client = ParleyNode.start(new NodeSettings(new DataDir(dirE),
                List.of(LOOPBACK_RANDOM_PORT), List.of(lone.dialableAddresses().getFirst()), 0, ModePolicy.CLIENT));
        nodes.add(client);

        JsonNode found = CliRun.json(dirE, "find-user", lone.host().peerId().toBase58());

        assertThat(found.get("devices")).extracting(d -> d.get("peerId").asText())
                .containsExactly(lone.host().peerId().toBase58());
    }

    @Test
    void printsTheDevicesFoundAsText() {
        CliRun run = CliRun.run(dirC, "find-user", peerB().toBase58());

        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.OK);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.subList(0, 2)).containsExactly("rendezvous: " + rendezvousKeyOfB(), "device: " + peerB());
        assertThat(lines.subList(2, lines.size())).contains("  address: " + b.dialableAddresses().getFirst());
    }

    @Test
    void idShowsTheRendezvousKeyOfTheDeviceKey() throws Exception {
        JsonNode id = CliRun.json(dirB, "id");
        CliRun text = CliRun.run(dirB, "id");

        assertThat(id.get("rendezvousKey").asText()).isEqualTo(rendezvousKeyOfB());
        assertThat(text.out().lines()).contains("rendezvous: " + rendezvousKeyOfB());
    }

    @Test
    void anRsaPeerIdIsRefusedBecauseItsKeyIsNotInsideIt() throws Exception {
        CliRun run = CliRun.run(dirC, "find-user", RSA_PEER_ID);
        HttpResponse<String> answer = post(b, "/api/find-user", "{\"peer\":\"" + RSA_PEER_ID + "\"}");

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err().strip()).isEqualTo("parley find-user: " + RSA_PEER_ID + " is an RSA/ECDSA PeerId: its"
                + " key is not inside it (the PeerId is only a hash of the key), so its rendezvous key cannot be"
                + " computed; ask for the user's Ed25519 PeerId (12D3KooW...), or reach this one device with"
                + " parley dht find-peer " + RSA_PEER_ID);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(ApiJson.MAPPER.readTree(answer.body()).get("error").asText()).isEqualTo("bad_request");
    }

    @Test
    void aUserWithNoDeviceOnlineIsNotFound() throws Exception {
        PeerId nobody = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        String key = Base58.encode(UserRendezvous.key(nobody.inlinedPublicKey()));

        CliRun run = CliRun.run(dirC, "find-user", nobody.toBase58());
        HttpResponse<String> answer = post(b, "/api/find-user", "{\"peer\":\"" + nobody + "\"}");

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err().strip())
                .startsWith("parley find-user: no device of user " + nobody + " is online: nobody provides its"
                        + " rendezvous key " + key + " (asked ")
                .endsWith(" peers); the devices may be offline or not yet announced: try again later, and check"
                        + " that this node joined the DHT (parley dht routing-table; start it with --bootstrap)");
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(ApiJson.MAPPER.readTree(answer.body()).get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void aNodeWithoutDhtPeersSaysHowToJoin() throws Exception {
        start(dirD, List.of());

        CliRun run = CliRun.run(dirD, "find-user", peerB().toBase58());

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err().strip()).isEqualTo("parley find-user: the node knows no DHT servers yet, so it cannot"
                + " ask the DHT: start it with --bootstrap <multiaddr of a DHT server>, or connect to one"
                + " (parley connect MULTIADDR)");
    }

    @Test
    void aMalformedPeerIdIsABadRequest() throws Exception {
        HttpResponse<String> answer = post(b, "/api/find-user", "{\"peer\":\"not-a-peer-id\"}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(ApiJson.MAPPER.readTree(answer.body()).get("message").asText())
                .isEqualTo("bad PeerId 'not-a-peer-id': unsupported multibase prefix 'n'; a PeerId looks like"
                        + " 12D3KooW... or Qm...");
    }

    private PeerId peerB() {
        return b.host().peerId();
    }

    private String rendezvousKeyOfB() {
        return Base58.encode(UserRendezvous.key(peerB().inlinedPublicKey()));
    }

    private ParleyNode start(Path dir, List<Multiaddr> bootstrap) throws Exception {
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(dir), List.of(LOOPBACK_RANDOM_PORT), bootstrap,
                0, ModePolicy.SERVER));
        nodes.add(node);
        return node;
    }

    private static HttpResponse<String> post(ParleyNode node, String path, String json) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.apiEndpoint().port() + path))
                    .header("Authorization", "Bearer " + node.apiEndpoint().token())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
