package org.parley.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The harness's passive kad-dht peer ({@link JsPeer.Builder#dhtPassive()}): it joins through the
 * peer it dials, contacts nobody else of its own accord, and still looks up when told. The Java
 * DHT interop tests build "finds a peer it was never connected to" on this.
 */
@Tag("interop")
@ExtendWith(JsPeerLogs.class)
class JsKadDhtPassiveSanityTest {

    @Test
    void aPassivePeerTalksOnlyToItsEntryPeerUntilToldToLookUp() {
        try (JsPeer alice = JsPeer.builder().name("dht-alice").dht(true).start();
                JsPeer bob = JsPeer.builder().name("dht-bob").dht(true).start();
                JsPeer carol = JsPeer.builder().name("dht-carol-passive").dhtPassive().start()) {
            bob.dial(alice.addr());
            alice.command("dht-await-routing-table", Map.of("peers", List.of(bob.peerId().toString())));

            carol.dial(alice.addr());
            carol.command("dht-await-routing-table", Map.of("peers", List.of(alice.peerId().toString())));
            alice.command("dht-await-routing-table", Map.of("peers", List.of(carol.peerId().toString())));

            assertThat(carol.command("peers", Map.of()).path("peers").findValuesAsText("peer"))
                    .containsExactly(alice.peerId().toString());
            JsonNode found = carol.command("dht-find-peer", Map.of("peer", bob.peerId().toString()));
            assertThat(JsToJsInteropTest.texts(found.path("addrs"))).contains(bob.addr().withoutPeerId().toString());
        }
    }
}
