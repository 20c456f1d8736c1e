package org.parley.libp2p.host.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.core.SecureTransport;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multistream.MultistreamCodec;
import org.parley.libp2p.multistream.MultistreamSelect;
import org.parley.libp2p.noise.NoiseTransport;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.transport.memory.MemoryPipe;
import org.parley.libp2p.yamux.Yamux;

/** The upgrade of a raw connection over in-memory pipes, both roles at once. */
class UpgraderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final Ed25519PrivateKey dialerKey = Ed25519PrivateKey.generate();
    private final Ed25519PrivateKey listenerKey = Ed25519PrivateKey.generate();
    private final PeerId listenerId = PeerId.fromPublicKey(listenerKey.publicKey());
    private final MemoryPipe.Pair pipe = MemoryPipe.pair();

    @AfterEach
    void stop() {
        pipe.close();
        timer.shutdownNow();
    }

    @Test
    void agreesOnTheMuxerInsideNoise() throws Exception {
        Upgrader dialer = upgrader(new NoiseTransport(dialerKey), TIMEOUT);
        Upgrader listener = upgrader(new NoiseTransport(listenerKey), TIMEOUT);

        CompletableFuture<Upgrader.Upgraded> inbound = inBackground(() -> listener.inbound(pipe.responder()));
        Upgrader.Upgraded outbound = dialer.outbound(pipe.initiator(), listenerId);

        assertThat(outbound.channel().remotePeer()).isEqualTo(listenerId);
        assertThat(outbound.channel().earlyMuxer()).isEqualTo(Yamux.PROTOCOL_ID);
        Upgrader.Upgraded accepted = inbound.get(10, TimeUnit.SECONDS);
        assertThat(accepted.channel().remotePeer()).isEqualTo(PeerId.fromPublicKey(dialerKey.publicKey()));
        exchangeOverAStream(outbound, accepted);
    }

    @Test
    void negotiatesTheMuxerWithMultistreamSelectWhenNoiseDidNot() throws Exception {
        Upgrader dialer = upgrader(withoutMuxers(new NoiseTransport(dialerKey)), TIMEOUT);
        Upgrader listener = upgrader(new NoiseTransport(listenerKey), TIMEOUT);

        CompletableFuture<Upgrader.Upgraded> inbound = inBackground(() -> listener.inbound(pipe.responder()));
        Upgrader.Upgraded outbound = dialer.outbound(pipe.initiator(), listenerId);

        assertThat(outbound.channel().earlyMuxer()).isNull();
        exchangeOverAStream(outbound, inbound.get(10, TimeUnit.SECONDS));
    }

    @Test
    void failsWhenTheRemoteIsNotTheExpectedPeer() {
        Upgrader dialer = upgrader(new NoiseTransport(dialerKey), TIMEOUT);
        Upgrader listener = upgrader(new NoiseTransport(listenerKey), TIMEOUT);
        PeerId someoneElse = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());

        inBackground(() -> listener.inbound(pipe.responder()));

        assertThatThrownBy(() -> dialer.outbound(pipe.initiator(), someoneElse))
                .isInstanceOf(PeerFaultException.class)
                .hasMessageContaining(someoneElse.toString());
    }

    @Test
    void closesTheConnectionWhenTheWholeUpgradeTakesTooLong() throws Exception {
        Upgrader listener = upgrader(new NoiseTransport(listenerKey), Duration.ofMillis(200));
        // The dialer agrees on /noise, then never sends Noise message 1.
        pipe.initiator().out().write(MultistreamCodec.encode(MultistreamSelect.PROTOCOL_ID, NoiseTransport.PROTOCOL_ID));
        pipe.initiator().out().flush();

        assertThatThrownBy(() -> listener.inbound(pipe.responder()))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("connection upgrade did not finish within 200 ms");
        assertThat(pipe.initiator().in().readAllBytes())
                .isEqualTo(MultistreamCodec.encode(MultistreamSelect.PROTOCOL_ID, NoiseTransport.PROTOCOL_ID));
    }

    @Test
    void treatsARemoteWithoutNoiseAsFaulty() throws Exception {
        Upgrader dialer = upgrader(new NoiseTransport(dialerKey), TIMEOUT);
        // A TLS-only listener: header, then na.
        pipe.responder().out().write(MultistreamCodec.encode(MultistreamSelect.PROTOCOL_ID, MultistreamSelect.NA));
        pipe.responder().out().flush();

        assertThatThrownBy(() -> dialer.outbound(pipe.initiator(), listenerId))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("remote refused [/noise], which every libp2p TCP peer must speak");
    }

    private Upgrader upgrader(SecureTransport security, Duration timeout) {
        return new Upgrader(security, new Yamux(), timeout, timer);
    }

    private static void exchangeOverAStream(Upgrader.Upgraded dialer, Upgrader.Upgraded listener) throws Exception {
        try {
            MuxedStream out = dialer.session().openStream();
            out.out().write(new byte[] {1, 2, 3});
            out.out().flush();
            MuxedStream in = listener.session().acceptStream();
            assertThat(in.in().readNBytes(3)).containsExactly(1, 2, 3);
        } finally {
            dialer.session().close();
            listener.session().close();
        }
    }

    /** Noise that announces no muxer, as some older peers do. */
    private static SecureTransport withoutMuxers(SecureTransport noise) {
        return new SecureTransport() {
            @Override
            public String protocolId() {
                return noise.protocolId();
            }

            @Override
            public SecureChannel secureOutbound(Duplex raw, PeerId expected, List<String> muxers, Duration timeout)
                    throws IOException {
                return noise.secureOutbound(raw, expected, List.of(), timeout);
            }

            @Override
            public SecureChannel secureInbound(Duplex raw, List<String> muxers, Duration timeout) throws IOException {
                return noise.secureInbound(raw, List.of(), timeout);
            }
        };
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> CompletableFuture<T> inBackground(Step<T> step) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(step.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }
}
