package org.parley.libp2p.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.libp2p.testing.Threads;

/**
 * What every stream muxer must do, whatever the implementation and the connection under it: a
 * subclass supplies a connected pair of sessions, and this suite runs against it (like go-libp2p's
 * muxer test suite). Each test gets a fresh pair.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class StreamMuxerConformanceTest {

    /** Generous bound for one step on a loaded 2-core machine; never reached when things work. */
    private static final long STEP_SECONDS = 30;

    /** The two ends of one muxed connection. */
    public record SessionPair(MuxedSession initiator, MuxedSession responder) implements AutoCloseable {
        @Override
        public void close() {
            initiator.close();
            responder.close();
        }
    }

    /** A fresh pair of sessions over one new connection; the suite closes it. */
    protected abstract SessionPair newSessionPair() throws Exception;

    /** Runs the muxer's own ping on {@code session} and returns the round trip. */
    protected abstract Duration ping(MuxedSession session) throws Exception;

    protected MuxedSession initiator;
    protected MuxedSession responder;
    private SessionPair pair;
    private final List<Thread> threads = new ArrayList<>();

    @BeforeEach
    void connect() throws Exception {
        pair = newSessionPair();
        initiator = pair.initiator();
        responder = pair.responder();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        pair.close();
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(STEP_SECONDS));
        }
    }

    @Test
    void carriesDataBothWaysOnOneStream() throws Exception {
        Future<String> echoed = background(() -> {
            try (MuxedStream stream = responder.acceptStream()) {
                byte[] request = stream.in().readAllBytes();
                stream.out().write(("echo " + new String(request, UTF_8)).getBytes(UTF_8));
                return new String(request, UTF_8);
            }
        });

        try (MuxedStream stream = initiator.openStream()) {
            stream.out().write("hello".getBytes(UTF_8));
            stream.closeWrite();

            assertThat(new String(stream.in().readAllBytes(), UTF_8)).isEqualTo("echo hello");
        }
        assertThat(get(echoed)).isEqualTo("hello");
    }

    @Test
    void carriesDataBothWaysOnAThousandStreamsAtOnce() throws Exception {
        int streams = 1000;
        int size = 8 * 1024;
        background(() -> {
            while (true) {
                MuxedStream stream = responder.acceptStream();
                Thread.ofVirtual().start(() -> echoReversed(stream));
            }
        });

        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            int seed = i;
            clients.add(CompletableFuture.runAsync(() -> {
                try (MuxedStream stream = initiator.openStream()) {
                    byte[] sent = randomBytes(size, seed);
                    stream.out().write(sent);
                    stream.closeWrite();
                    assertThat(stream.in().readAllBytes()).isEqualTo(reversed(sent));
                } catch (IOException e) {
                    throw new AssertionError("stream " + seed + " failed", e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable)));
        }

        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(STEP_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void resetMidTransferFailsOnlyThatStreamOnBothSides() throws Exception {
        MuxedStream resetByReader = initiator.openStream();
        MuxedStream resetByWriter = initiator.openStream();
        MuxedStream healthy = initiator.openStream();
        MuxedStream acceptedResetByReader = responder.acceptStream();
        MuxedStream acceptedResetByWriter = responder.acceptStream();
        MuxedStream acceptedHealthy = responder.acceptStream();

        Future<Throwable> writerFailure = background(() -> {
            byte[] chunk = new byte[64 * 1024];
            try {
                while (true) {
                    resetByReader.out().write(chunk);
                }
            } catch (IOException e) {
                return e;
            }
        });
        acceptedResetByReader.in().readNBytes(1024 * 1024);
        acceptedResetByReader.reset();
        assertThat(get(writerFailure)).isInstanceOf(StreamResetException.class);

        resetByWriter.out().write(new byte[100_000]);
        Future<Throwable> readerFailure = background(() -> {
            try {
                while (acceptedResetByWriter.in().read(new byte[4096]) >= 0) {
                    continue;
                }
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        resetByWriter.reset();
        assertThat(get(readerFailure)).isInstanceOf(StreamResetException.class);
        assertThatThrownBy(() -> resetByWriter.in().read()).isInstanceOf(StreamResetException.class);

        byte[] data = randomBytes(1024 * 1024, 7);
        Future<byte[]> received = background(() -> acceptedHealthy.in().readAllBytes());
        healthy.out().write(data);
        healthy.closeWrite();
        assertThat(get(received)).isEqualTo(data);
    }

    @Test
    void slowReaderStallsOnlyItsOwnStream() throws Exception {
        MuxedStream stalled = initiator.openStream();
        MuxedStream flowing = initiator.openStream();
        MuxedStream acceptedStalled = responder.acceptStream();
        MuxedStream acceptedFlowing = responder.acceptStream();
        byte[] stalledData = randomBytes(4 * 1024 * 1024, 1);
        byte[] flowingData = randomBytes(16 * 1024 * 1024, 2);

        Future<Void> stalledWriter = background(() -> {
            stalled.out().write(stalledData);
            stalled.closeWrite();
            return null;
        });
        Future<byte[]> flowingReceived = background(() -> acceptedFlowing.in().readAllBytes());
        flowing.out().write(flowingData);
        flowing.closeWrite();

        assertThat(get(flowingReceived)).isEqualTo(flowingData);
        assertThat(stalledWriter.isDone())
                .as("a writer of 4 MiB to a stream nobody reads must wait for window credit")
                .isFalse();
        assertThat(acceptedStalled.in().readAllBytes()).isEqualTo(stalledData);
        get(stalledWriter);
    }

    @Test
    void halfClosesInBothDirections() throws Exception {
        MuxedStream requester = initiator.openStream();
        MuxedStream answerer = responder.acceptStream();

        requester.out().write("request".getBytes(UTF_8));
        requester.closeWrite();
        assertThat(answerer.in().readAllBytes()).asString(UTF_8).isEqualTo("request");
        assertThatThrownBy(() -> requester.out().write(1)).isInstanceOf(ConnectionClosedException.class);

        answerer.out().write("answer".getBytes(UTF_8));
        answerer.closeWrite();
        assertThat(requester.in().readAllBytes()).asString(UTF_8).isEqualTo("answer");
        assertThat(requester.in().read()).isEqualTo(-1);

        MuxedStream second = initiator.openStream();
        MuxedStream acceptedSecond = responder.acceptStream();
        acceptedSecond.closeWrite();
        assertThat(second.in().read()).isEqualTo(-1);
        second.out().write("still writing".getBytes(UTF_8));
        second.closeWrite();
        assertThat(acceptedSecond.in().readAllBytes()).asString(UTF_8).isEqualTo("still writing");
    }

    @Test
    void openingFailsAfterThePeerClosedTheSession() throws Exception {
        responder.close();

        assertThatThrownBy(initiator::acceptStream).isInstanceOf(ConnectionClosedException.class);
        assertThatThrownBy(initiator::openStream).isInstanceOf(ConnectionClosedException.class);
        assertThat(initiator.isOpen()).isFalse();
    }

    @Test
    void closingTheSessionWakesBlockedReadersWritersAndAcceptors() throws Exception {
        MuxedStream reading = initiator.openStream();
        MuxedStream writing = initiator.openStream();
        MuxedStream remoteReading = responder.acceptStream();
        responder.acceptStream();
        AtomicReference<Thread> readerThread = new AtomicReference<>();
        AtomicReference<Thread> writerThread = new AtomicReference<>();
        AtomicReference<Thread> acceptorThread = new AtomicReference<>();
        AtomicReference<Thread> remoteReaderThread = new AtomicReference<>();

        Future<Throwable> reader = background(readerThread, () -> failureOf(() -> reading.in().read()));
        Future<Throwable> writer = background(writerThread, () -> failureOf(() -> writing.out().write(new byte[4 * 1024 * 1024])));
        Future<Throwable> acceptor = background(acceptorThread, () -> failureOf(initiator::acceptStream));
        Future<Throwable> remoteReader = background(remoteReaderThread, () -> failureOf(() -> remoteReading.in().read()));
        Threads.awaitBlocked(readerThread.get());
        Threads.awaitBlocked(writerThread.get());
        Threads.awaitBlocked(acceptorThread.get());
        Threads.awaitBlocked(remoteReaderThread.get());

        initiator.close();

        assertThat(get(reader)).isInstanceOf(ConnectionClosedException.class);
        assertThat(get(writer)).isInstanceOf(ConnectionClosedException.class);
        assertThat(get(acceptor)).isInstanceOf(ConnectionClosedException.class);
        assertThat(get(remoteReader)).isInstanceOf(ConnectionClosedException.class);
        assertThat(initiator.isOpen()).isFalse();
        assertThatThrownBy(initiator::openStream).isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void largeTransferArrivesIntact() throws Exception {
        long total = 64L * 1024 * 1024;
        MuxedStream sender = initiator.openStream();
        MuxedStream receiver = responder.acceptStream();

        Future<byte[]> receivedDigest = background(() -> {
            MessageDigest digest = sha256();
            SplittableRandom sizes = new SplittableRandom(11);
            byte[] buffer = new byte[300 * 1024];
            int n;
            while ((n = receiver.in().read(buffer, 0, 1 + sizes.nextInt(buffer.length))) >= 0) {
                digest.update(buffer, 0, n);
            }
            return digest.digest();
        });
        MessageDigest sentDigest = sha256();
        SplittableRandom data = new SplittableRandom(42);
        byte[] chunk = new byte[1024 * 1024];
        long sent = 0;
        while (sent < total) {
            int n = (int) Math.min(total - sent, 1 + data.nextInt(chunk.length));
            data.nextBytes(chunk);
            sender.out().write(chunk, 0, n);
            sentDigest.update(chunk, 0, n);
            sent += n;
        }
        sender.closeWrite();

        assertThat(get(receivedDigest)).isEqualTo(sentDigest.digest());
    }

    @Test
    void carriesBulkDataBothWaysAtOnceWhilePinging() throws Exception {
        int size = 32 * 1024 * 1024;
        byte[] up = randomBytes(size, 21);
        byte[] down = randomBytes(size, 22);
        MuxedStream client = initiator.openStream();
        MuxedStream server = responder.acceptStream();

        Future<byte[]> serverReceived = background(() -> server.in().readAllBytes());
        Future<byte[]> clientReceived = background(() -> client.in().readAllBytes());
        Future<Void> serverSent = background(() -> {
            server.out().write(down);
            server.closeWrite();
            return null;
        });
        Future<Duration> pings = background(() -> {
            Duration last = Duration.ZERO;
            for (int i = 0; i < 20; i++) {
                last = ping(i % 2 == 0 ? initiator : responder);
            }
            return last;
        });
        client.out().write(up);
        client.closeWrite();

        get(serverSent);
        assertThat(get(serverReceived)).isEqualTo(up);
        assertThat(get(clientReceived)).isEqualTo(down);
        assertThat(get(pings)).isPositive();
    }

    @Test
    void pingMeasuresARoundTripFromEitherSide() throws Exception {
        assertThat(ping(initiator)).isPositive();
        assertThat(ping(responder)).isPositive();
    }

    @Test
    void countsOpenStreamsUntilBothSidesClosed() throws Exception {
        MuxedStream stream = initiator.openStream();
        MuxedStream accepted = responder.acceptStream();
        assertThat(initiator.streamCount()).isEqualTo(1);
        assertThat(responder.streamCount()).isEqualTo(1);

        stream.closeWrite();
        assertThat(accepted.in().read()).isEqualTo(-1);
        accepted.closeWrite();
        assertThat(stream.in().read()).isEqualTo(-1);

        assertThat(initiator.streamCount()).isZero();
        assertThat(responder.streamCount()).isZero();
    }

    // ---- helpers ----

    /** A task that may throw, run on its own virtual thread. */
    protected interface Task<T> {
        T run() throws Exception;
    }

    /** An action that is expected to throw. */
    protected interface Action {
        void run() throws Exception;
    }

    protected <T> Future<T> background(Task<T> task) {
        return background(new AtomicReference<>(), task);
    }

    private <T> Future<T> background(AtomicReference<Thread> started, Task<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().unstarted(() -> {
            try {
                result.complete(task.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        synchronized (threads) {
            threads.add(thread);
        }
        started.set(thread);
        thread.start();
        return result;
    }

    protected static <T> T get(Future<T> future) throws Exception {
        try {
            return future.get(STEP_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The exception {@code action} throws, or null if it returns. */
    protected static Throwable failureOf(Action action) {
        try {
            action.run();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] reversed(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }

    private static void echoReversed(MuxedStream stream) {
        try (stream) {
            InputStream in = stream.in();
            OutputStream out = stream.out();
            out.write(reversed(in.readAllBytes()));
        } catch (IOException e) {
            stream.reset();
        }
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }
}
