package org.parley.libp2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.transport.memory.MemoryPipe;

/** Dialer and listener against each other over an in-memory pipe. */
class MultistreamSelectPipeTest {

    @Test
    void dialerAndListenerAgreeOnTheFirstCommonProtocol() throws Exception {
        try (MemoryPipe.Pair pipe = MemoryPipe.pair()) {
            CompletableFuture<String> listener = listen(pipe.responder(), Set.of("/noise", "/yamux/1.0.0"));

            String dialed = MultistreamSelect.select(pipe.initiator(), List.of("/tls/1.0.0", "/noise"));

            assertThat(dialed).isEqualTo("/noise");
            assertThat(listener.get(5, TimeUnit.SECONDS)).isEqualTo("/noise");
        }
    }

    @Test
    void protocolBytesFollowTheNegotiationInBothDirections() throws Exception {
        try (MemoryPipe.Pair pipe = MemoryPipe.pair()) {
            CompletableFuture<String> listener = CompletableFuture.supplyAsync(() -> {
                try {
                    MultistreamSelect.handle(pipe.responder(), Set.of("/echo/1.0.0"));
                    byte[] request = pipe.responder().in().readNBytes(4);
                    pipe.responder().out().write(request);
                    pipe.responder().out().flush();
                    return HexFormat.of().formatHex(request);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, command -> Thread.ofVirtual().start(command));

            MultistreamSelect.select(pipe.initiator(), List.of("/echo/1.0.0"));
            pipe.initiator().out().write(new byte[] {1, 2, 3, 4});
            pipe.initiator().out().flush();

            assertThat(pipe.initiator().in().readNBytes(4)).containsExactly(1, 2, 3, 4);
            assertThat(listener.get(5, TimeUnit.SECONDS)).isEqualTo("01020304");
        }
    }

    @Test
    void listenerSendsItsHeaderAtOnceToADialerThatWaitsForIt() throws Exception {
        try (MemoryPipe.Pair pipe = MemoryPipe.pair()) {
            CompletableFuture<String> listener = listen(pipe.responder(), Set.of("/noise"));

            // A cautious dialer: header alone, then wait for the listener's header before proposing.
            MultistreamCodec.write(pipe.initiator().out(), MultistreamSelect.PROTOCOL_ID);
            assertThat(MultistreamCodec.read(pipe.initiator().in())).isEqualTo(MultistreamSelect.PROTOCOL_ID);
            MultistreamCodec.write(pipe.initiator().out(), "/noise");
            assertThat(MultistreamCodec.read(pipe.initiator().in())).isEqualTo("/noise");

            assertThat(listener.get(5, TimeUnit.SECONDS)).isEqualTo("/noise");
        }
    }

    @Test
    void dialerSeesProtocolNotSupportedWhileTheListenerWaitsForMore() throws Exception {
        try (MemoryPipe.Pair pipe = MemoryPipe.pair()) {
            CompletableFuture<String> listener = listen(pipe.responder(), Set.of("/noise"));

            assertThatThrownBy(() -> MultistreamSelect.select(pipe.initiator(), List.of("/tls/1.0.0")))
                    .isInstanceOf(ProtocolNotSupportedException.class);

            pipe.initiator().close();
            assertThatThrownBy(() -> listener.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("stream ended before a multistream-select message");
        }
    }

    private static CompletableFuture<String> listen(MemoryPipe.End end, Set<String> supported) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(MultistreamSelect.handle(end, supported));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }
}
