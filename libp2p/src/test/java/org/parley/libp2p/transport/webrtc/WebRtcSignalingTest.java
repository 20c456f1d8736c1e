package org.parley.libp2p.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.testing.LoopbackTcp;

/**
 * Both signaling roles over a bare loopback TCP stream, without hosts: a WebRTC connection comes
 * up and carries a stream; a peer whose offer has no certificate fingerprint is refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebRtcSignalingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final WebRtcConfig CONFIG = WebRtcConfig.defaults().withLoopbackOnly();

    @BeforeAll
    static void nativeLibraryLoads() {
        assertThat(WebRtcSupport.status().available()).as(WebRtcSupport.status().describe()).isTrue();
    }

    @Test
    void theRolesConnectOverAnyStreamAndTheConnectionCarriesStreams() throws Exception {
        PrivateKey aKey = Ed25519PrivateKey.generate();
        PrivateKey bKey = Ed25519PrivateKey.generate();
        Multiaddr tcp = Multiaddr.parse("/ip4/127.0.0.1/tcp/1");
        try (LoopbackTcp.Pair pair = LoopbackTcp.pair()) {
            CompletableFuture<WebRtcConnection> responder = CompletableFuture.supplyAsync(() -> {
                try {
                    return WebRtcSignaling.respond(pair.responder(), remote(aKey, tcp), CONFIG, TIMEOUT);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable));

            try (WebRtcConnection a = WebRtcSignaling.initiate(pair.initiator(), remote(bKey, tcp), CONFIG, TIMEOUT);
                    WebRtcConnection b = responder.get(30, TimeUnit.SECONDS)) {
                assertThat(a.channel().remotePeer()).isEqualTo(PeerId.fromPublicKey(bKey.publicKey()));
                assertThat(b.channel().remotePeer()).isEqualTo(PeerId.fromPublicKey(aKey.publicKey()));
                assertThat(a.remoteAddress()).hasToString("/ip4/127.0.0.1/tcp/1/webrtc");

                var outbound = a.session().openStream();
                outbound.out().write(new byte[] {1, 2, 3});
                outbound.closeWrite();
                var inbound = b.session().acceptStream();
                assertThat(inbound.in().readAllBytes()).containsExactly(1, 2, 3);
            }
        }
    }

    @Test
    void anOfferWithoutFingerprintIsRefused() throws Exception {
        try (LoopbackTcp.Pair pair = LoopbackTcp.pair()) {
            SignalingCodec.write(pair.initiator().out(),
                    new SignalingMessage(SignalingMessage.Type.SDP_OFFER, "v=0\r\na=setup:actpass\r\n"));

            assertThatThrownBy(() -> WebRtcSignaling.respond(pair.responder(),
                    remote(Ed25519PrivateKey.generate(), Multiaddr.parse("/ip4/127.0.0.1/tcp/1")), CONFIG, TIMEOUT))
                    .isInstanceOf(PeerFaultException.class)
                    .hasMessage("the peer's SDP names no DTLS certificate fingerprint");
        }
    }

    private static WebRtcSignaling.Remote remote(PrivateKey key, Multiaddr address) {
        return new WebRtcSignaling.Remote(PeerId.fromPublicKey(key.publicKey()), key.publicKey(),
                Multiaddr.parse("/ip4/127.0.0.1/tcp/2"), address);
    }
}
