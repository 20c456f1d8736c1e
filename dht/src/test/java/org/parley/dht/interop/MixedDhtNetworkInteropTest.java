package org.parley.dht.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.dht.query.GetValueResult;
import org.parley.dht.query.ProvidersResult;
import org.parley.dht.record.InvalidRecordException;
import org.parley.dht.record.ParleyRecord;
import org.parley.dht.record.PublicKeyValidator;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.KadMessage;
import org.parley.dht.rpc.KadRecord;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.interop.JsPeer;
import org.parley.libp2p.interop.JsPeerLogs;
import org.parley.libp2p.multiformats.Multihash;
import org.parley.libp2p.peer.PeerId;

/**
 * A mixed kad-dht network of 3 Java and 3 js servers on loopback, joined as a line whose links are
 * dialed from alternating sides, then bootstrapped by the Java peers' lookups:
 *
 * <pre>
 *   java1 ← js1 ← java2 ← js2 ← java3 ← js3        (a ← b: b dialed a)
 * </pre>
 *
 * Each side finds the providers the other announced, reads the {@code /parley/} and {@code /pk/}
 * records the other stored, picks the same best of several versions, corrects stale copies held
 * by the other, and refuses records that break the namespace's rules; each side's routing table
 * holds the other's peers.
 */
@Tag("interop")
@ExtendWith(JsPeerLogs.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MixedDhtNetworkInteropTest {

    private static final HexFormat HEX = HexFormat.of();
    /** Identify and the js admission ping take milliseconds on loopback; this is the give-up time. */
    private static final Duration TABLE_WAIT = Duration.ofSeconds(10);
    /** For direct kad requests from a Java peer; as the DHT's own default. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** js-libp2p's kad-dht log, in each js peer's log file; JsPeerLogs prints them when a test fails. */
    private static final String JS_DHT_LOG = "libp2p:kad-dht*";
    /** More providers than this network has peers. */
    private static final int PROVIDER_LIMIT = 20;

    private static final List<AutoCloseable> PEERS = new ArrayList<>();
    private static List<JavaDhtPeer> java;
    private static List<JsPeer> js;

    @BeforeAll
    static void buildTheNetwork() {
        java = List.of(keep(JavaDhtPeer.start("java1")), keep(JavaDhtPeer.start("java2")), keep(JavaDhtPeer.start("java3")));
        js = List.of(keep(JsPeer.builder().name("js1").dht(true).debug(JS_DHT_LOG).start()),
                keep(JsPeer.builder().name("js2").dht(true).debug(JS_DHT_LOG).start()),
                keep(JsPeer.builder().name("js3").dht(true).debug(JS_DHT_LOG).start()));
        for (int i = 0; i < 3; i++) {
            js.get(i).dial(java.get(i).addr());
            if (i > 0) {
                java.get(i).connect(js.get(i - 1).addr());
            }
        }
        for (int i = 0; i < 3; i++) {
            List<PeerRef> neighbours = new ArrayList<>(List.of(ref(js.get(i))));
            if (i > 0) {
                neighbours.add(ref(js.get(i - 1)));
            }
            awaitJsTable(js.get(i), List.of(java.get(i).peerId()));
            java.get(i).dht().bootstrap(neighbours);
        }
        // java1 bootstrapped before js3 had joined the line: one more refresh each, and every
        // Java peer has asked (so met) every js peer.
        for (JavaDhtPeer j : java) {
            j.dht().refresh();
        }
    }

    @AfterAll
    static void stopPeers() throws Exception {
        for (AutoCloseable peer : PEERS.reversed()) {
            peer.close();
        }
        PEERS.clear();
    }

    @Test
    void eachJavaRoutingTableHoldsEveryJsPeer() {
        for (JavaDhtPeer j : java) {
            j.awaitRoutingTable(js.stream().map(JsPeer::peerId).toList(), TABLE_WAIT);
        }
    }

    @Test
    void eachJsRoutingTableHoldsEveryJavaPeer() {
        for (JsPeer s : js) {
            JsonNode table = awaitJsTable(s, java.stream().map(JavaDhtPeer::peerId).toList());

            assertThat(texts(table.path("peers"))).containsAll(ids(java));
        }
    }

    @Test
    void jsFindsTheProviderJavaAnnounced() {
        byte[] key = Multihash.sha256("provided by java2".getBytes(StandardCharsets.UTF_8)).bytes();

        int took = java.get(1).dht().provide(key);
        JsonNode found = js.get(2).command("dht-find-providers", Map.of("multihashHex", HEX.formatHex(key)));

        assertThat(took).as("peers that took java2's ADD_PROVIDER").isGreaterThanOrEqualTo(js.size());
        JsonNode provider = single(found.path("providers"), java.get(1).peerId());
        assertThat(texts(provider.path("addrs"))).contains(java.get(1).addr().withoutPeerId().toString());
    }

    @Test
    void javaFindsTheProviderJsAnnounced() {
        byte[] key = Multihash.sha256("provided by js1".getBytes(StandardCharsets.UTF_8)).bytes();
        JsPeer provider = js.get(0);

        JsonNode provided = provider.command("dht-provide", Map.of("multihashHex", HEX.formatHex(key)));
        List<PeerRef> streamed = new CopyOnWriteArrayList<>();
        ProvidersResult found = java.get(2).dht().findProviders(key, PROVIDER_LIMIT, streamed::add);

        assertThat(texts(provided.path("sentTo"))).containsAll(ids(java));
        assertThat(found.providers()).extracting(PeerRef::id).containsExactly(provider.peerId());
        assertThat(streamed).isEqualTo(found.providers());
        // js announces its addresses with /p2p/<id>; what counts is that they lead to it.
        assertThat(found.providers().getFirst().addrs()).extracting(a -> a.withoutPeerId())
                .contains(provider.addr().withoutPeerId());
        for (JavaDhtPeer j : java) {
            assertThat(j.dht().localProviders(key)).as("providers %s stored", j).extracting(PeerRef::id)
                    .containsExactly(provider.peerId());
        }
    }

    @Test
    void jsReadsAParleyRecordAJavaPeerSignedAndStored() throws InvalidRecordException {
        JavaDhtPeer publisher = java.get(0);
        ParleyRecord record = ParleyRecord.sign(publisher.identity(), "java-to-js", 1,
                "from java1".getBytes(StandardCharsets.UTF_8));

        int stored = publisher.dht().putValue(record.key(), record.value());
        JsonNode got = js.get(2).command("dht-get", Map.of("keyHex", HEX.formatHex(record.key())));
        JsonNode all = js.get(1).command("dht-get-many", Map.of("keyHex", HEX.formatHex(record.key())));

        assertThat(stored).as("peers that stored java1's PUT_VALUE").isEqualTo(java.size() - 1 + js.size());
        assertThat(got.path("valueHex").asText()).isEqualTo(HEX.formatHex(record.value()));
        assertThat(all.path("values").findValuesAsText("from")).as("holders js2 heard from").containsAll(ids(java));
        assertThat(all.path("values").findValuesAsText("valueHex")).containsOnly(HEX.formatHex(record.value()));
    }

    @Test
    void javaReadsAParleyRecordAJsPeerSignedAndStored() throws InvalidRecordException {
        JsPeer publisher = js.get(1);
        String data = HEX.formatHex("from js2".getBytes(StandardCharsets.UTF_8));

        JsonNode put = publisher.command("dht-put-parley", Map.of("name", "js-to-java", "seq", 1, "dataHex", data));
        byte[] key = HEX.parseHex(put.path("keyHex").asText());
        GetValueResult got = java.get(0).dht().getValue(key);

        assertThat(texts(put.path("storedAt"))).as("put errors %s", put.path("errors")).containsAll(ids(java));
        assertThat(got.value()).hasValueSatisfying(v -> assertThat(HEX.formatHex(v)).isEqualTo(put.path("valueHex").asText()));
        ParleyRecord record = ParleyRecord.parse(key, got.value().orElseThrow());
        assertThat(record.signer()).isEqualTo(publisher.peerId());
        assertThat(record.name()).isEqualTo("js-to-java");
        assertThat(HEX.formatHex(record.data())).isEqualTo(data);
        assertThat(got.copies()).as("valid copies java1 collected, its own included").isEqualTo(java.size() + js.size());
    }

    @Test
    void javaPicksTheHighestSeqAmongJavaAndJsCopiesAndCorrectsTheStaleOnes() throws Exception {
        JavaDhtPeer publisher = java.get(0);
        ParleyRecord v1 = ParleyRecord.sign(publisher.identity(), "java-selects", 1, new byte[] {1});
        ParleyRecord v2 = ParleyRecord.sign(publisher.identity(), "java-selects", 2, new byte[] {2});
        publisher.dht().putValue(v1.key(), v1.value());
        storeOnlyAt(publisher, js.get(0), v2);

        GetValueResult got = java.get(1).dht().getValue(v1.key());

        assertThat(got.value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(v2.value()));
        assertThat(got.corrected()).as("stale holders java2 corrected").isGreaterThanOrEqualTo(4);
        assertThat(heldBy(js.get(2), v1.key())).isEqualTo(HEX.formatHex(v2.value()));
        assertThat(heldBy(java.get(2), v1.key())).isEqualTo(v2.value());
        assertThat(heldBy(java.get(1), v1.key())).as("the reader's own copy").isEqualTo(v2.value());
    }

    @Test
    void jsPicksTheHighestSeqAndJavaRefusesToGoBackToAnOlderOne() throws Exception {
        JavaDhtPeer publisher = java.get(0);
        ParleyRecord v1 = ParleyRecord.sign(publisher.identity(), "js-selects", 1, new byte[] {1});
        ParleyRecord v2 = ParleyRecord.sign(publisher.identity(), "js-selects", 2, new byte[] {2});
        publisher.dht().putValue(v1.key(), v1.value());
        storeOnlyAt(publisher, js.get(0), v2);

        JsonNode got = js.get(2).command("dht-get", Map.of("keyHex", HEX.formatHex(v1.key())));

        assertThat(got.path("valueHex").asText()).isEqualTo(HEX.formatHex(v2.value()));
        for (JavaDhtPeer j : java) {
            assertThat(heldBy(j, v1.key())).as("the value %s holds after js3's correction", j)
                    .isEqualTo(v2.value());
        }

        JsonNode older = js.get(1).command("dht-put", Map.of("keyHex", HEX.formatHex(v1.key()),
                "valueHex", HEX.formatHex(v1.value())));

        assertThat(texts(older.path("storedAt"))).doesNotContainAnyElementsOf(ids(java));
        assertThat(older.path("errors").findValuesAsText("peer")).containsAll(ids(java));
        for (JavaDhtPeer j : java) {
            assertThat(heldBy(j, v1.key())).as("the value %s holds after the older put", j)
                    .isEqualTo(v2.value());
        }
    }

    @Test
    void jsRefusesAParleyRecordNotSignedByThePeerTheKeyNames() throws Exception {
        JavaDhtPeer victim = java.get(0);
        ParleyRecord forged = ParleyRecord.sign(Ed25519PrivateKey.generate(), "forged", 1, new byte[] {6});
        byte[] key = ParleyRecord.keyFor(victim.peerId(), "forged");

        assertThatThrownBy(() -> victim.network().request(ref(js.get(0)),
                KadMessage.putValue(new KadRecord(key, forged.value())), REQUEST_TIMEOUT))
                .isInstanceOf(IOException.class);
        assertThat(js.get(0).command("dht-get-many", Map.of("keyHex", HEX.formatHex(key))).path("values")).isEmpty();
    }

    @Test
    void javaRefusesAParleyRecordNotSignedByThePeerTheKeyNames() {
        JsPeer forger = js.get(2);
        String value = forger.command("parley-record-sign", Map.of("name", "forged", "seq", 1, "dataHex", "06"))
                .path("valueHex").asText();
        byte[] key = ParleyRecord.keyFor(java.get(1).peerId(), "forged");

        JsonNode put = forger.command("dht-put", Map.of("keyHex", HEX.formatHex(key), "valueHex", value));

        assertThat(put.path("storedAt")).as("peers that stored a forgery").isEmpty();
        assertThat(put.path("errors").findValuesAsText("peer")).containsAll(ids(java));
        for (JavaDhtPeer j : java) {
            assertThat(j.dht().getValue(key).value()).as("what %s reads", j).isEmpty();
        }
    }

    @Test
    void javaReadsThePublicKeyRecordAJsPeerStored() {
        JsPeer owner = js.get(0);
        byte[] key = PublicKeyValidator.keyFor(owner.peerId());

        JsonNode put = owner.command("dht-put", Map.of("keyHex", HEX.formatHex(key),
                "valueHex", HEX.formatHex(owner.publicKey().marshal())));
        GetValueResult got = java.get(2).dht().getValue(key);

        assertThat(texts(put.path("storedAt"))).containsAll(ids(java));
        assertThat(got.value()).hasValueSatisfying(v -> assertThat(v).isEqualTo(owner.publicKey().marshal()));
    }

    /** Sends {@code record} as PUT_VALUE to {@code holder} alone, from {@code from}. */
    private static void storeOnlyAt(JavaDhtPeer from, JsPeer holder, ParleyRecord record) throws IOException {
        KadMessage answer = from.network().request(ref(holder),
                KadMessage.putValue(new KadRecord(record.key(), record.value())), REQUEST_TIMEOUT);
        assertThat(answer.record().value()).as("%s's echo of PUT_VALUE", holder).isEqualTo(record.value());
    }

    /** The value Java peer {@code holder} serves for {@code key}, asked with one GET_VALUE by another. */
    private static byte[] heldBy(JavaDhtPeer holder, byte[] key) throws IOException {
        JavaDhtPeer asker = java.stream().filter(j -> j != holder).findFirst().orElseThrow();
        KadMessage answer = asker.network().request(holder.ref(), KadMessage.getValue(key), REQUEST_TIMEOUT);
        assertThat(answer.record()).as("%s's record for the key", holder).isNotNull();
        return answer.record().value();
    }

    /** The value js peer {@code holder} itself holds for {@code key} (its own copy in dht-get-many). */
    private static String heldBy(JsPeer holder, byte[] key) {
        for (JsonNode v : holder.command("dht-get-many", Map.of("keyHex", HEX.formatHex(key))).path("values")) {
            if (v.path("from").asText().equals(holder.peerId().toString())) {
                return v.path("valueHex").asText();
            }
        }
        throw new AssertionError(holder + " holds no value for " + HEX.formatHex(key));
    }

    private static JsonNode awaitJsTable(JsPeer peer, List<PeerId> peers) {
        return peer.command("dht-await-routing-table", Map.of("peers", peers.stream().map(PeerId::toString).toList(),
                "timeoutMs", TABLE_WAIT.toMillis()));
    }

    private static JsonNode single(JsonNode providers, PeerId expected) {
        assertThat(providers.findValuesAsText("peer")).containsExactly(expected.toString());
        return providers.get(0);
    }

    private static PeerRef ref(JsPeer peer) {
        return new PeerRef(peer.peerId(), peer.addrs().stream().map(a -> a.withoutPeerId()).toList());
    }

    private static List<String> ids(List<JavaDhtPeer> peers) {
        return peers.stream().map(p -> p.peerId().toString()).toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static <T extends AutoCloseable> T keep(T peer) {
        PEERS.add(peer);
        return peer;
    }
}
