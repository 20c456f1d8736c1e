package org.parley.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig;
import org.parley.dht.KadDht;
import org.parley.dht.routing.IpDiversityFilter;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.sim.SimNetwork;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.DataDir;
import org.parley.node.cli.ExitCode;
import org.parley.node.dht.DhtService;
import org.parley.node.identity.UserRendezvous;
import org.parley.node.testing.CliRun;

/**
 * The {@code dht} subcommands end to end through the API, over five DHT nodes on the in-memory
 * network: two of them serve an API, as two Parley nodes would.
 */
class DhtRoutesTest {

    private static final int NODES = 5;

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    private final List<Ed25519PrivateKey> keys = new ArrayList<>();
    private final List<KadDht> dhts = new ArrayList<>();
    private final List<ApiServer> servers = new ArrayList<>();

    @BeforeEach
    void startNetwork() throws Exception {
        SimNetwork network = new SimNetwork(SimNetwork.Options.instant());
        DhtConfig config = DhtConfig.defaults().withMode(DhtConfig.ModePolicy.SERVER)
                .withIpDiversity(IpDiversityFilter.disabled());
        List<PeerRef> refs = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            Ed25519PrivateKey key = Ed25519PrivateKey.generate();
            PeerRef ref = new PeerRef(PeerId.fromPublicKey(key.publicKey()),
                    List.of(Multiaddr.parse("/ip4/10.0.0." + (i + 1) + "/tcp/4001")));
            SimNetwork.Endpoint endpoint = network.attach(ref);
            KadDht dht = KadDht.builder(ref.id(), endpoint).config(config).build();
            endpoint.onPeerIdentified(dht::peerIdentified);
            dht.start();
            keys.add(key);
            dhts.add(dht);
            refs.add(ref);
        }
        for (int i = 0; i < NODES; i++) {
            dhts.get(i).bootstrap(List.of(refs.get((i + 1) % NODES)));
        }
        serve(0, dirA);
        serve(1, dirB);
    }

    @AfterEach
    void stop() {
        servers.forEach(ApiServer::close);
        dhts.forEach(KadDht::close);
    }

    @Test
    void showsTheRoutingTableByBucket() throws Exception {
        JsonNode table = CliRun.json(dirA, "dht", "routing-table");

        assertThat(table.get("mode").asText()).isEqualTo("server");
        assertThat(table.get("size").asInt()).isEqualTo(NODES - 1);
        int listed = 0;
        for (JsonNode bucket : table.get("buckets")) {
            assertThat(bucket.get("index").asInt()).isBetween(0, 255);
            listed += bucket.get("peers").size();
        }
        assertThat(listed).isEqualTo(NODES - 1);
    }

    @Test
    void findsAPeersAddresses() throws Exception {
        PeerId target = peer(4);

        JsonNode found = CliRun.json(dirA, "dht", "find-peer", target.toBase58());

        assertThat(found.get("peerId").asText()).isEqualTo(target.toBase58());
        assertThat(found.get("addresses")).extracting(JsonNode::asText)
                .containsExactly("/ip4/10.0.0.5/tcp/4001/p2p/" + target);
    }

    @Test
    void reportsAPeerNobodyKnowsAsNotFound() {
        PeerId stranger = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());

        CliRun run = CliRun.run(dirA, "dht", "find-peer", stranger.toBase58());

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).startsWith("parley dht find-peer: peer " + stranger + " was not found in the DHT (asked ");
    }

    @Test
    void oneNodeProvidesItsRendezvousKeyAndAnotherFindsIt() throws Exception {
        String rendezvous = Base58.encode(UserRendezvous.key(keys.get(0).publicKey()));

        JsonNode provided = CliRun.json(dirA, "dht", "provide", "self");
        JsonNode providers = CliRun.json(dirB, "dht", "providers", rendezvous);

        assertThat(provided.get("key").asText()).isEqualTo(rendezvous);
        assertThat(provided.get("announcedTo").asInt()).isPositive();
        assertThat(providers.get("providers")).extracting(p -> p.get("peerId").asText())
                .containsExactly(peer(0).toBase58());
    }

    @Test
    void putsASignedRecordThatAnotherNodeReads() throws Exception {
        JsonNode put = CliRun.json(dirA, "dht", "put", "/parley/self/status", "on holiday");
        JsonNode got = CliRun.json(dirB, "dht", "get", "/parley/" + peer(0) + "/status");

        assertThat(put.get("key").asText()).isEqualTo("/parley/" + peer(0) + "/status");
        assertThat(put.get("storedOn").asInt()).isPositive();
        assertThat(got.get("value").asText()).isEqualTo("on holiday");
        assertThat(got.get("signer").asText()).isEqualTo(peer(0).toBase58());
        assertThat(got.get("seq").asLong()).isEqualTo(put.get("seq").asLong());
    }

    @Test
    void printsTheValueOfAGetAsText() throws Exception {
        CliRun.json(dirA, "dht", "put", "/parley/self/motto", "hello");

        CliRun run = CliRun.run(dirB, "dht", "get", "/parley/" + peer(0) + "/motto");

        assertThat(run.out()).isEqualTo("hello\n");
    }

    @Test
    void aLaterPutSupersedesAnEarlierOne() throws Exception {
        CliRun.json(dirA, "dht", "put", "/parley/self/status", "first");
        CliRun.json(dirA, "dht", "put", "/parley/self/status", "second");

        assertThat(CliRun.json(dirB, "dht", "get", "/parley/" + peer(0) + "/status").get("value").asText()).isEqualTo("second");
    }

    @Test
    void refusesToPutARecordOfAnotherPeer() {
        CliRun run = CliRun.run(dirA, "dht", "put", "/parley/" + peer(1) + "/status", "forged");

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err().strip()).isEqualTo("parley dht put: only /parley/" + peer(0) + "/<name> (or"
                + " /parley/self/<name>) can be put: the node signs the record with its own key, and nobody can"
                + " sign for another peer");
    }

    @Test
    void reportsAMissingRecordAsNotFound() {
        CliRun run = CliRun.run(dirB, "dht", "get", "/parley/" + peer(0) + "/nothing");

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err().strip()).isEqualTo("parley dht get: no record found under /parley/" + peer(0) + "/nothing");
    }

    private PeerId peer(int index) {
        return dhts.get(index).self();
    }

    private void serve(int index, Path dir) throws Exception {
        ApiServer server = ApiServer.start(0, "token-" + index, List.of(new DhtRoutes(new DhtService(dhts.get(index), keys.get(index), InstantSource.system()))));
        servers.add(server);
        new ApiEndpoint(server.port(), "token-" + index, ProcessHandle.current().pid(), peer(index).toBase58())
                .write(new DataDir(dir).apiFile());
    }
}
