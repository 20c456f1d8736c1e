package org.parley.libp2p.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multistream.MultistreamSelect;
import org.parley.libp2p.noise.NoiseTransport;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.transport.tcp.TcpConnection;
import org.parley.libp2p.transport.tcp.TcpTransport;
import org.parley.libp2p.yamux.Yamux;
import org.parley.libp2p.yamux.YamuxConfig;

/**
 * The Host's connection upgrade rebuilt from the public pieces (multistream-select {@code /noise},
 * Noise XX offering yamux inside the handshake, yamux), so the benchmark can time it without
 * identify and run it with another {@link Aead}. Thread safe; each call runs on its caller's thread.
 */
final class HandBuiltUpgrade {

    static final Duration DIAL_TIMEOUT = Duration.ofSeconds(5);
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final TcpTransport tcp = new TcpTransport();
    private final NoiseTransport noise;
    private final Yamux yamux = new Yamux(YamuxConfig.DEFAULT);

    HandBuiltUpgrade(PrivateKey identity, Aead.Factory aead) {
        this.noise = new NoiseTransport(identity, aead);
    }

    /** Dials {@code address} (with {@code /p2p/}) and returns the dialer's yamux session, ready for streams. */
    MuxedSession dial(Multiaddr address) throws IOException {
        PeerId expected = address.peerId();
        TcpConnection raw = tcp.dial(address.withoutPeerId(), DIAL_TIMEOUT);
        try {
            MultistreamSelect.select(raw, List.of(NoiseTransport.PROTOCOL_ID));
            SecureChannel channel = noise.secureOutbound(raw, expected, List.of(Yamux.PROTOCOL_ID), HANDSHAKE_TIMEOUT);
            if (channel.earlyMuxer() == null) {
                MultistreamSelect.select(channel, List.of(Yamux.PROTOCOL_ID));
            }
            return yamux.newSession(channel, true);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Upgrades an accepted connection and returns the listener's yamux session. */
    MuxedSession accept(RawConnection raw) throws IOException {
        try {
            MultistreamSelect.handle(raw, Set.of(NoiseTransport.PROTOCOL_ID));
            SecureChannel channel = noise.secureInbound(raw, List.of(Yamux.PROTOCOL_ID), HANDSHAKE_TIMEOUT);
            if (channel.earlyMuxer() == null) {
                MultistreamSelect.handle(channel, Set.of(Yamux.PROTOCOL_ID));
            }
            return yamux.newSession(channel, false);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }
}
