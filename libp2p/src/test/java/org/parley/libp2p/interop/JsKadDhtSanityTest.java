package org.parley.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.libp2p.multiformats.Multihash;

/**
 * Proves the harness's kad-dht commands between two js DHT servers on loopback, so the Java DHT
 * tests can rely on them: routing tables fill, providers and peers are found, pk records stored.
 */
@Tag("interop")
@ExtendWith(JsPeerLogs.class)
class JsKadDhtSanityTest {

    private static final HexFormat HEX = HexFormat.of();

    private static JsPeer alice;
    private static JsPeer bob;

    @BeforeAll
    static void startDhtServersAndConnect() {
        alice = JsPeer.builder().name("dht-alice").dht(true).start();
        bob = JsPeer.builder().name("dht-bob").dht(true).start();
        alice.dial(bob.addr());
        alice.command("dht-await-routing-table", Map.of("size", 1));
        bob.command("dht-await-routing-table", Map.of("size", 1));
    }

    @AfterAll
    static void stopPeers() {
        if (alice != null) {
            alice.close();
        }
        if (bob != null) {
            bob.close();
        }
    }

    @Test
    void eachRoutingTableHoldsTheOtherServer() {
        assertThat(JsToJsInteropTest.texts(alice.command("dht-routing-table", Map.of()).path("peers")))
                .containsExactly(bob.peerId().toString());
        assertThat(JsToJsInteropTest.texts(bob.command("dht-routing-table", Map.of()).path("peers")))
                .containsExactly(alice.peerId().toString());
    }

    @Test
    void findsAProviderOfASha256Key() {
        String key = HEX.formatHex(Multihash.sha256("parley interop provider".getBytes(StandardCharsets.UTF_8)).bytes());

        alice.command("dht-provide", Map.of("multihashHex", key));
        JsonNode found = bob.command("dht-find-providers", Map.of("multihashHex", key));

        assertThat(found.path("providers").findValuesAsText("peer")).containsExactly(alice.peerId().toString());
        assertThat(JsToJsInteropTest.texts(found.path("providers").get(0).path("addrs")))
                .contains(alice.addr().withoutPeerId().toString());
    }

    @Test
    void findsAPeerWithItsLoopbackAddress() {
        JsonNode found = bob.command("dht-find-peer", Map.of("peer", alice.peerId().toString()));

        assertThat(found.path("peer").asText()).isEqualTo(alice.peerId().toString());
        assertThat(JsToJsInteropTest.texts(found.path("addrs"))).contains(alice.addr().withoutPeerId().toString());
    }

    @Test
    void listsTheOtherServerAmongTheClosestPeersToAKey() {
        String key = HEX.formatHex("parley interop closest".getBytes(StandardCharsets.UTF_8));

        JsonNode found = bob.command("dht-closest-peers", Map.of("keyHex", key));

        assertThat(found.path("peers").findValuesAsText("peer")).contains(alice.peerId().toString());
    }

    @Test
    void storesAndReadsBackAPublicKeyRecord() {
        String key = HEX.formatHex(pkKey(alice));
        String value = HEX.formatHex(alice.publicKey().marshal());

        JsonNode put = alice.command("dht-put", Map.of("keyHex", key, "valueHex", value));
        JsonNode got = bob.command("dht-get", Map.of("keyHex", key));

        assertThat(JsToJsInteropTest.texts(put.path("storedAt"))).contains(bob.peerId().toString());
        assertThat(got.path("valueHex").asText()).isEqualTo(value);
    }

    @Test
    void refusesDhtCommandsOnAPeerWithoutDht() {
        try (JsPeer plain = JsPeer.builder().name("no-dht").start()) {
            assertThatThrownBy(() -> plain.command("dht-routing-table", Map.of()))
                    .isInstanceOf(JsPeerException.class)
                    .hasMessageEndingWith("failed: Error: this peer runs without kad-dht: start it with --dht");
        }
    }

    private static byte[] pkKey(JsPeer peer) {
        byte[] prefix = "/pk/".getBytes(StandardCharsets.US_ASCII);
        byte[] id = peer.peerId().bytes();
        byte[] key = new byte[prefix.length + id.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(id, 0, key, prefix.length, id.length);
        return key;
    }
}
