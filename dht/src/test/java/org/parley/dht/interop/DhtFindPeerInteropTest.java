package org.parley.dht.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.dht.query.FindPeerResult;
import org.parley.dht.routing.PeerRef;
import org.parley.libp2p.interop.JsPeer;
import org.parley.libp2p.interop.JsPeerLogs;
import org.parley.libp2p.peer.PeerId;

/**
 * findPeer across implementations, between peers that had never been connected: 3 Java and 3 js
 * kad-dht servers on loopback.
 *
 * <pre>
 *   javaTarget ── javaCore ── jsFinder
 *                    │
 *   jsTarget ───── jsCore ─── javaFinder
 * </pre>
 *
 * Each finder and target joins last through the one core peer drawn next to it, and runs no
 * lookup before the test's own: the Java ones never look up unless told, the js ones are passive
 * ({@link JsPeer.Builder#dhtPassive()}). So neither finder can have met its target, and each test
 * checks that on both sides before looking up. Each lookup crosses implementations twice: the
 * finder's only contact is a server of the other implementation, which knows the target.
 *
 * <p>The target is one hop from the finder's contact on purpose: js follows a peer named in an
 * answer only if it is closer to the key than the peer that named it, so a longer path would end
 * early or not depending on the random peer ids.
 */
@Tag("interop")
@ExtendWith(JsPeerLogs.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DhtFindPeerInteropTest {

    /** Identify and the js admission ping take milliseconds on loopback; this is the give-up time. */
    private static final Duration TABLE_WAIT = Duration.ofSeconds(10);

    /** js-libp2p's kad-dht log, in each js peer's log file; JsPeerLogs prints them when a test fails. */
    private static final String JS_DHT_LOG = "libp2p:kad-dht*";

    private static final List<AutoCloseable> PEERS = new ArrayList<>();
    private static JavaDhtPeer javaCore;
    private static JavaDhtPeer javaFinder;
    private static JavaDhtPeer javaTarget;
    private static JsPeer jsCore;
    private static JsPeer jsFinder;
    private static JsPeer jsTarget;

    @BeforeAll
    static void buildTheNetwork() {
        javaCore = keep(JavaDhtPeer.start("java-core"));
        jsCore = keep(JsPeer.builder().name("js-core").dht(true).debug(JS_DHT_LOG).start());
        jsCore.dial(javaCore.addr());
        awaitJsTable(jsCore, javaCore.peerId());
        javaCore.awaitRoutingTable(List.of(jsCore.peerId()), TABLE_WAIT);

        javaFinder = keep(JavaDhtPeer.start("java-finder"));
        javaTarget = keep(JavaDhtPeer.start("java-target"));
        jsFinder = keep(JsPeer.builder().name("js-finder").dhtPassive().debug(JS_DHT_LOG).start());
        jsTarget = keep(JsPeer.builder().name("js-target").dhtPassive().debug(JS_DHT_LOG).start());
        javaTarget.connect(javaCore.addr());
        javaCore.awaitRoutingTable(List.of(javaTarget.peerId()), TABLE_WAIT);
        jsTarget.dial(jsCore.addr());
        awaitJsTable(jsCore, jsTarget.peerId());

        javaFinder.connect(jsCore.addr());
        javaFinder.awaitRoutingTable(List.of(jsCore.peerId()), TABLE_WAIT);
        jsFinder.dial(javaCore.addr());
        awaitJsTable(jsFinder, javaCore.peerId());
    }

    @AfterAll
    static void stopPeers() throws Exception {
        for (AutoCloseable peer : PEERS.reversed()) {
            peer.close();
        }
        PEERS.clear();
    }

    @Test
    void aJavaPeerFindsAJsPeerItWasNeverConnectedTo() {
        assertNeverConnected(javaFinder, jsTarget);

        FindPeerResult result = javaFinder.dht().findPeer(jsTarget.peerId());

        assertThat(result.peer()).as("javaFinder's findPeer(%s), stats %s", jsTarget.peerId(), result.stats())
                .isPresent();
        PeerRef found = result.peer().orElseThrow();
        assertThat(found.id()).isEqualTo(jsTarget.peerId());
        assertThat(found.addrs()).contains(jsTarget.addr().withoutPeerId());
    }

    @Test
    void aJsPeerFindsAJavaPeerItWasNeverConnectedTo() {
        assertNeverConnected(javaTarget, jsFinder);

        JsonNode found = jsFinder.command("dht-find-peer", Map.of("peer", javaTarget.peerId().toString()));

        assertThat(found.path("peer").asText()).isEqualTo(javaTarget.peerId().toString());
        assertThat(texts(found.path("addrs"))).contains(javaTarget.addr().withoutPeerId().toString());
        assertThat(jsFinder.ping(javaTarget.addr())).isGreaterThanOrEqualTo(0);
    }

    /** Neither side has ever seen a connection to the other. */
    private static void assertNeverConnected(JavaDhtPeer java, JsPeer js) {
        assertThat(java.everConnectedTo(js.peerId())).as("%s was connected to %s", java, js).isFalse();
        assertThat(js.events("connection-open").stream().map(e -> e.path("peer").asText()))
                .as("connections %s saw", js).doesNotContain(java.peerId().toString());
    }

    private static void awaitJsTable(JsPeer js, PeerId peer) {
        js.command("dht-await-routing-table", Map.of("peers", List.of(peer.toString()),
                "timeoutMs", TABLE_WAIT.toMillis()));
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
