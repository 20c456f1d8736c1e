package org.parley.libp2p.transport.memory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.testing.Threads;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MemoryPipeTest {

    private final MemoryPipe.Pair pipe = MemoryPipe.pair();
    private final MemoryPipe.End a = pipe.initiator();
    private final MemoryPipe.End b = pipe.responder();

    @Test
    void carriesBytesBothWays() throws IOException {
        a.out().write("ping".getBytes(UTF_8));
        b.out().write("pong".getBytes(UTF_8));

        assertThat(b.in().readNBytes(4)).asString(UTF_8).isEqualTo("ping");
        assertThat(a.in().readNBytes(4)).asString(UTF_8).isEqualTo("pong");
    }

    @Test
    void readReturnsWhatIsThereWithoutWaitingForMore() throws IOException {
        a.out().write(new byte[3]);

        assertThat(b.in().read(new byte[100])).isEqualTo(3);
        assertThat(b.in().available()).isZero();
    }

    @Test
    void peerReadsBufferedBytesThenEndOfStreamAfterClose() throws IOException {
        a.out().write("last words".getBytes(UTF_8));
        a.close();

        assertThat(b.in().readAllBytes()).asString(UTF_8).isEqualTo("last words");
        assertThat(b.in().read()).isEqualTo(-1);
    }

    @Test
    void writesFailOnBothEndsAfterOneCloses() {
        a.close();

        assertThatThrownBy(() -> a.out().write(1))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("memory pipe is closed for writing");
        assertThatThrownBy(() -> b.out().write(1))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("memory pipe was closed by the peer");
        assertThatThrownBy(() -> a.in().read())
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("memory pipe is closed");
    }

    @Test
    void shutdownOutputEndsOneDirectionOnly() throws IOException {
        a.shutdownOutput();
        b.out().write("still here".getBytes(UTF_8));

        assertThat(b.in().read()).isEqualTo(-1);
        assertThat(a.in().readNBytes(10)).asString(UTF_8).isEqualTo("still here");
        assertThatThrownBy(() -> a.out().write(1)).isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void writerWaitsForTheReaderWhenTheBufferIsFull() throws Exception {
        MemoryPipe.Pair small = MemoryPipe.pair(16);
        CompletableFuture<Void> written = new CompletableFuture<>();
        Thread writer = Thread.startVirtualThread(() -> {
            try {
                small.initiator().out().write(new byte[40]);
                written.complete(null);
            } catch (IOException e) {
                written.completeExceptionally(e);
            }
        });

        Threads.awaitBlocked(writer);
        assertThat(written).isNotDone();
        assertThat(small.responder().in().readNBytes(40)).hasSize(40);
        written.get(10, TimeUnit.SECONDS);
    }

    @Test
    void closeWakesBlockedReaderAndWriter() throws Exception {
        MemoryPipe.Pair small = MemoryPipe.pair(16);
        CompletableFuture<Throwable> reader = new CompletableFuture<>();
        CompletableFuture<Throwable> writer = new CompletableFuture<>();
        Thread readerThread = failureOn(reader, () -> small.initiator().in().read());
        Thread writerThread = failureOn(writer, () -> small.initiator().out().write(new byte[40]));
        Threads.awaitBlocked(readerThread);
        Threads.awaitBlocked(writerThread);

        small.initiator().close();

        assertThat(reader.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("memory pipe is closed");
        assertThat(writer.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("memory pipe is closed for writing");
        assertThat(small.responder().in().readAllBytes()).hasSize(16);
    }

    @Test
    void interruptingABlockedReaderThrowsInterruptedIoException() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread reader = Thread.startVirtualThread(() -> {
            try {
                a.in().read();
                failure.complete(null);
            } catch (IOException e) {
                failure.complete(e);
            }
        });
        Threads.awaitBlocked(reader);

        reader.interrupt();

        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
    }

    @Test
    void largeTransferArrivesIntactWithMixedChunkSizes() throws Exception {
        byte[] data = new byte[16 * 1024 * 1024];
        new SplittableRandom(5).nextBytes(data);
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        Thread.startVirtualThread(() -> {
            try {
                byte[] copy = new byte[data.length];
                SplittableRandom sizes = new SplittableRandom(6);
                int total = 0;
                int n;
                while ((n = b.in().read(copy, total, Math.min(copy.length - total, 1 + sizes.nextInt(100_000)))) > 0) {
                    total += n;
                }
                received.complete(copy);
            } catch (IOException e) {
                received.completeExceptionally(e);
            }
        });
        SplittableRandom sizes = new SplittableRandom(7);
        for (int sent = 0; sent < data.length; ) {
            int n = Math.min(data.length - sent, 1 + sizes.nextInt(300_000));
            a.out().write(data, sent, n);
            sent += n;
        }
        a.close();

        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(data);
    }

    private interface Action {
        void run() throws IOException;
    }

    private static Thread failureOn(CompletableFuture<Throwable> failure, Action action) {
        return Thread.startVirtualThread(() -> {
            try {
                action.run();
                failure.complete(null);
            } catch (IOException e) {
                failure.complete(e);
            }
        });
    }
}
