package org.parley.libp2p.protocol;

import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.transport.memory.MemoryPipe;

/** Opens connected pairs of {@link TestStream}s between two test peers. Test code only. */
public final class TestStreams {

    /** The dialer's transport address as both sides see it. */
    public static final Multiaddr DIALER_ADDRESS = Multiaddr.parse("/ip4/127.0.0.1/tcp/50001");
    /** The listener's transport address as both sides see it. */
    public static final Multiaddr LISTENER_ADDRESS = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");

    private TestStreams() {}

    /** A peer with a fresh Ed25519 identity. */
    public record Peer(Ed25519PrivateKey key, PeerId id) {
        public static Peer generate() {
            Ed25519PrivateKey key = Ed25519PrivateKey.generate();
            return new Peer(key, PeerId.fromPublicKey(key.publicKey()));
        }
    }

    /** Both ends of one stream: the dialer opened it, the listener accepted it. */
    public record Pair(TestStream dialer, TestStream listener) {}

    /** A stream for {@code protocol} from {@code dialer} to {@code listener}. */
    public static Pair open(String protocol, Peer dialer, Peer listener) {
        return open(protocol, dialer, listener, MemoryPipe.DEFAULT_BUFFER_SIZE);
    }

    /** As {@link #open(String, Peer, Peer)}, buffering at most {@code bufferSize} bytes per direction. */
    public static Pair open(String protocol, Peer dialer, Peer listener, int bufferSize) {
        MemoryPipe.Pair pipe = MemoryPipe.pair(bufferSize);
        AtomicBoolean reset = new AtomicBoolean();
        TestConnection dialerView = new TestConnection(
                listener.id(), listener.key().publicKey(), DIALER_ADDRESS, LISTENER_ADDRESS, true);
        TestConnection listenerView = new TestConnection(
                dialer.id(), dialer.key().publicKey(), LISTENER_ADDRESS, DIALER_ADDRESS, false);
        return new Pair(
                new TestStream(pipe, pipe.initiator(), reset, protocol, dialerView, 1),
                new TestStream(pipe, pipe.responder(), reset, protocol, listenerView, 1));
    }
}
