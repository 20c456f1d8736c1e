package org.parley.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.testing.SilentSocketFlood;

/**
 * Regression: while silent TCP sockets held all 64 handshake slots of a node, every fresh
 * js-libp2p dial failed ("Encryption failed" / "Unexpected EOF"). The flood here comes from
 * 127.0.0.2..40; the js peer dials from 127.0.0.1 (the same /24) and must connect and ping each
 * time: once while the flood's first burst still arrives, then while its sockets hold the slots.
 *
 * <p>In the burst every silent socket comes from an address not yet suspect, so each pushes the
 * oldest silent handshake of the subnet out. The js dialer's handshake once counted as silent until
 * the node's upgrade thread read from it, and under load that thread ran only after the accept
 * loop had admitted 31 more sockets: the js dial then failed with "Unexpected EOF".
 */
@Tag("interop")
@ExtendWith(JsPeerLogs.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class JsDialsJavaUnderFloodInteropTest {

    private static final int ROUNDS = 3;
    /** Long enough for the flood to take every handshake slot it can. */
    private static final Duration FLOOD_SETTLE = Duration.ofSeconds(10);

    private JsPeer js;
    private Host host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
        if (js != null) {
            js.close();
        }
    }

    @Test
    void aFreshJsDialConnectsAndPingsWhileSilentSocketsFloodTheNode() throws Exception {
        host = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).build();
        host.start();
        Multiaddr javaAddr = host.listenAddresses().getFirst().withPeerId(host.peerId());
        js = JsPeer.builder().name(getClass().getSimpleName()).start();

        try (SilentSocketFlood flood = new SilentSocketFlood(host.listenAddresses().getFirst().toTcpSocketAddress(),
                2, 40, 4, Duration.ofMillis(20))) {
            assertThat(dial(javaAddr, "during the flood's first burst")).isEqualTo(host.peerId().toString());
            assertThat(js.ping(host.peerId())).isNotNegative();
            js.command("hangup", Map.of("peer", host.peerId().toString()));

            long deadline = System.nanoTime() + FLOOD_SETTLE.toNanos();
            while (host.connectionStats().pendingHandshakes() < HostLimits.DEFAULT_MAX_HANDSHAKES_PER_SUBNET
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(host.connectionStats().pendingHandshakes())
                    .isEqualTo(HostLimits.DEFAULT_MAX_HANDSHAKES_PER_SUBNET);

            for (int round = 0; round < ROUNDS; round++) {
                assertThat(dial(javaAddr, "round " + round)).isEqualTo(host.peerId().toString());
                assertThat(js.ping(host.peerId())).isNotNegative();
                js.command("hangup", Map.of("peer", host.peerId().toString()));
            }
        }
    }

    /** The js peer's dial; if it fails, the failure names the node's admission counters, to tell why. */
    private String dial(Multiaddr javaAddr, String when) {
        try {
            return js.dial(javaAddr).path("peer").asText();
        } catch (JsPeerException e) {
            throw new AssertionError(when + ": " + e.getMessage() + "; the node's connection stats: "
                    + host.connectionStats(), e);
        }
    }
}
