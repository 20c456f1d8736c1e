package org.parley.libp2p.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile client for tests and the load benchmark: from each of several loopback source
 * addresses it holds TCP connections to a listener and sends nothing; whenever the listener closes
 * one, it opens another after a short pause. Only 127.0.0.0/8 addresses are used.
 */
public final class SilentSocketFlood implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong opened = new AtomicLong();
    private volatile boolean running = true;

    /**
     * Starts {@code perAddress} connection loops from each of 127.0.0.{@code firstHost} to
     * 127.0.0.{@code lastHost} to {@code target}, each reopening its connection {@code pause}
     * after the listener closed it.
     */
    public SilentSocketFlood(InetSocketAddress target, int firstHost, int lastHost, int perAddress, Duration pause) {
        if (firstHost < 1 || lastHost > 254 || firstHost > lastHost) {
            throw new IllegalArgumentException("source hosts must lie in 127.0.0.1..254, got " + firstHost + ".."
                    + lastHost);
        }
        for (int host = firstHost; host <= lastHost; host++) {
            InetAddress source = loopback(host);
            for (int i = 0; i < perAddress; i++) {
                threads.add(Thread.ofVirtual().name("flood-" + host + "-" + i)
                        .start(() -> holdConnections(source, target, pause)));
            }
        }
    }

    /** Connections opened so far, including those the listener closed. */
    public long opened() {
        return opened.get();
    }

    /** Connections open now. */
    public int open() {
        return open.size();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        open.forEach(SilentSocketFlood::closeQuietly);
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(5));
        }
    }

    private void holdConnections(InetAddress source, InetSocketAddress target, Duration pause) {
        byte[] sink = new byte[256];
        while (running) {
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(source, 0));
                open.add(socket);
                if (!running) {
                    return;
                }
                socket.connect(target, 2_000);
                opened.incrementAndGet();
                InputStream in = socket.getInputStream();
                // Never write; read whatever the listener says until it gives up on us.
                while (in.read(sink) >= 0) {
                    // discard
                }
            } catch (IOException e) {
                // Refused, reset or closed: open the next one.
            } finally {
                open.removeIf(Socket::isClosed);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static InetAddress loopback(int host) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) host});
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all we wanted.
        }
    }
}
