package org.parley.libp2p.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;

/** Starts hosts on 127.0.0.1 for a test and closes them afterwards. Not thread safe. */
final class TestHosts implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    private final List<Host> hosts = new ArrayList<>();

    Host start() {
        return start(HostLimits.defaults());
    }

    Host start(HostLimits limits) {
        Host host = Libp2p.newHost()
                .identity(Ed25519PrivateKey.generate())
                .listen(List.of(LOOPBACK))
                .agentVersion("parley-test/1")
                .limits(limits)
                .build();
        try {
            host.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hosts.add(host);
        return host;
    }

    /** The address of {@code host} with its /p2p/ component. */
    static Multiaddr addressOf(Host host) {
        return host.listenAddresses().getFirst().withPeerId(host.peerId());
    }

    @Override
    public void close() {
        hosts.forEach(Host::close);
    }

    /** Records a host's events for a test to wait on. */
    static final class Events {
        private final BlockingQueue<HostEvent> queue = new LinkedBlockingQueue<>();

        Events(Host host) {
            host.subscribe(queue::add);
        }

        /** The next event matching {@code filter}, skipping others; fails after {@link #WAIT}. */
        <T extends HostEvent> T next(Class<T> type, Predicate<T> filter) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                HostEvent event = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new AssertionError("no " + type.getSimpleName() + " within " + WAIT);
                }
                if (type.isInstance(event) && filter.test(type.cast(event))) {
                    return type.cast(event);
                }
            }
        }

        <T extends HostEvent> T next(Class<T> type) throws InterruptedException {
            return next(type, e -> true);
        }

        /** The next event of any kind. */
        HostEvent next() throws InterruptedException {
            HostEvent event = queue.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no event within " + WAIT);
            }
            return event;
        }
    }
}
