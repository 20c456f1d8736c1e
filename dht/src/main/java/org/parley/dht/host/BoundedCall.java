package org.parley.dht.host;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.parley.dht.net.KadTimeoutException;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.InternalFaultException;
import org.parley.libp2p.host.Stream;

/**
 * One outbound kad call (dial, stream negotiation, write, answer) bounded as a whole: it runs on a
 * virtual thread of its own while the caller waits at most the timeout. When the time is up the
 * caller gets a {@link KadTimeoutException} at once; the stream in use is reset, or, before there
 * is one, the call's thread is interrupted, which aborts a dial blocked on a socket. A stream the
 * call obtains after that is reset on arrival. Thread safe; one instance per call.
 */
final class BoundedCall {

    /** The work of a call; registers each stream it uses with {@link #use}. */
    @FunctionalInterface
    interface Body<T> {
        T run(BoundedCall call) throws IOException;
    }

    private final String timeoutMessage;
    private Stream stream;
    private boolean expired;

    private BoundedCall(String timeoutMessage) {
        this.timeoutMessage = timeoutMessage;
    }

    /**
     * Runs {@code body} and returns its result, or fails with {@link KadTimeoutException}
     * ({@code what} + " within " + timeout) if it takes longer than {@code timeout}.
     */
    static <T> T run(String what, Duration timeout, Body<T> body) throws IOException {
        BoundedCall call = new BoundedCall(what + " within " + timeout);
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("kad-call").start(() -> {
            try {
                result.complete(body.run(call));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.expire(worker);
            throw new KadTimeoutException(call.timeoutMessage);
        } catch (InterruptedException e) {
            call.expire(worker);
            Thread.currentThread().interrupt();
            throw new ConnectionClosedException("interrupted while waiting: " + what);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /**
     * Registers {@code s} as the stream this call now uses, so that a timeout resets it.
     *
     * @throws KadTimeoutException (after resetting {@code s}) if the call has already timed out
     */
    Stream use(Stream s) throws KadTimeoutException {
        synchronized (this) {
            if (!expired) {
                stream = s;
                return s;
            }
        }
        s.reset();
        throw new KadTimeoutException(timeoutMessage);
    }

    /** True once the caller has given up; the body should then not keep its stream. */
    synchronized boolean expired() {
        return expired;
    }

    private void expire(Thread worker) {
        Stream s;
        synchronized (this) {
            expired = true;
            s = stream;
        }
        if (s != null) {
            s.reset();
        } else {
            worker.interrupt();
        }
    }

    private static IOException unwrap(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new InternalFaultException("kad call failed: " + cause, cause);
    }
}
