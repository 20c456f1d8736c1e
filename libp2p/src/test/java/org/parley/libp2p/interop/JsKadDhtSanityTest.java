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
 * tests can rely on them: routing tables fill, providers and peers are found, pk and parley
 * records stored, and parley records that break the namespace's rules refused.
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
    void storesAndReadsBackAParleyRecordSignedByItsPublisher() {
        String data = HEX.formatHex("parley interop record".getBytes(StandardCharsets.UTF_8));

        JsonNode put = alice.command("dht-put-parley", Map.of("name", "js-to-js", "seq", 1, "dataHex", data));
        JsonNode got = bob.command("dht-get", Map.of("keyHex", put.path("keyHex").asText()));

        assertThat(put.path("keyHex").asText()).isEqualTo(HEX.formatHex(parleyKey(alice, "js-to-js")));
        assertThat(JsToJsInteropTest.texts(put.path("storedAt"))).containsExactly(bob.peerId().toString());
        assertThat(got.path("valueHex").asText()).isEqualTo(put.path("valueHex").asText());
        JsonNode read = bob.command("parley-record-validate", Map.of("keyHex", put.path("keyHex").asText(),
                "valueHex", got.path("valueHex").asText()));
        assertThat(read.path("valid").asBoolean()).isTrue();
        assertThat(read.path("seq").asText()).isEqualTo("1");
        assertThat(read.path("dataHex").asText()).isEqualTo(data);
    }

    @Test
    void readsTheHighestSequenceNumberAfterARepublish() {
        String name = "republished";
        alice.command("dht-put-parley", Map.of("name", name, "seq", 1, "dataHex", "01"));
        JsonNode second = alice.command("dht-put-parley", Map.of("name", name, "seq", 2, "dataHex", "02"));

        JsonNode got = bob.command("dht-get", Map.of("keyHex", second.path("keyHex").asText()));

        assertThat(got.path("valueHex").asText()).isEqualTo(second.path("valueHex").asText());
    }

    @Test
    void refusesAParleyRecordSignedByAnotherPeerThanTheKeyNames() {
        String alicesValue = alice.command("parley-record-sign", Map.of("name", "devices", "seq", 5, "dataHex", "ee"))
                .path("valueHex").asText();
        String bobsKey = HEX.formatHex(parleyKey(bob, "devices"));

        JsonNode put = alice.command("dht-put", Map.of("keyHex", bobsKey, "valueHex", alicesValue));

        assertThat(put.path("storedAt")).isEmpty();
        assertThat(put.path("errors").findValuesAsText("peer")).contains(bob.peerId().toString());
        assertThat(bob.command("parley-record-validate", Map.of("keyHex", bobsKey, "valueHex", alicesValue))
                .path("error").asText())
                .isEqualTo("/parley/ value is signed by " + alice.peerId() + ", not by " + bob.peerId()
                        + " named in the key");
    }

    @Test
    void refusesDhtCommandsOnAPeerWithoutDht() {
        try (JsPeer plain = JsPeer.builder().name("no-dht").start()) {
            assertThatThrownBy(() -> plain.command("dht-routing-table", Map.of()))
                    .isInstanceOf(JsPeerException.class)
                    .hasMessageEndingWith("failed: Error: this peer runs without kad-dht: start it with --dht");
        }
    }

    /** {@code /parley/<binary PeerId>/<name>}, as dht's ParleyRecord.keyFor builds it. */
    private static byte[] parleyKey(JsPeer peer, String name) {
        byte[] prefix = "/parley/".getBytes(StandardCharsets.US_ASCII);
        byte[] id = peer.peerId().bytes();
        byte[] suffix = ("/" + name).getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[prefix.length + id.length + suffix.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(id, 0, key, prefix.length, id.length);
        System.arraycopy(suffix, 0, key, prefix.length + id.length, suffix.length);
        return key;
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
