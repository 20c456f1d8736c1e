package org.parley.libp2p.noise;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;

/** Runs both sides of a handshake, the responder on a virtual thread. */
final class NoisePeers {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The responder's result: its channel, or the exception its handshake threw. */
    record Outcome<T>(T value, Throwable failure) {}

    final Ed25519PrivateKey dialerKey = Ed25519PrivateKey.generate();
    final Ed25519PrivateKey listenerKey = Ed25519PrivateKey.generate();
    final NoiseTransport dialer = new NoiseTransport(dialerKey);
    final NoiseTransport listener = new NoiseTransport(listenerKey);

    PeerId dialerId() {
        return PeerId.fromPublicKey(dialerKey.publicKey());
    }

    PeerId listenerId() {
        return PeerId.fromPublicKey(listenerKey.publicKey());
    }

    /** Starts the listener's handshake on {@code raw} in the background. */
    CompletableFuture<SecureChannel> accept(Duplex raw, List<String> muxers) {
        CompletableFuture<SecureChannel> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(listener.secureInbound(raw, muxers, TIMEOUT));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    static <T> Outcome<T> outcome(CompletableFuture<T> future) throws InterruptedException {
        try {
            return new Outcome<>(future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), null);
        } catch (ExecutionException e) {
            return new Outcome<>(null, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("handshake did not end within " + TIMEOUT, e);
        }
    }
}
