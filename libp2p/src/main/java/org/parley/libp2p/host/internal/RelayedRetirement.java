package org.parley.libp2p.host.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.parley.libp2p.host.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a peer's limited (relayed) connections once a direct one to it is up: new streams take
 * the direct one already (the registry prefers it), so the relayed one only holds a slot on the
 * relay. It closes as soon as it carries no stream, and at the latest {@link #GRACE} after the
 * direct connection came, unless that one has closed meanwhile. Thread safe.
 */
final class RelayedRetirement {

    /**
     * How long streams already open on a relayed connection may go on after a direct connection
     * came: enough for a ping, an identify or the signaling that made the direct connection to
     * finish, short next to the 2 min a relay grants a circuit anyway.
     */
    static final Duration GRACE = Duration.ofSeconds(10);

    /** How often a relayed connection with open streams is looked at during its grace. */
    static final Duration CHECK_INTERVAL = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(RelayedRetirement.class);

    private final ConnectionRegistry registry;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoTime;

    RelayedRetirement(ConnectionRegistry registry, ScheduledExecutorService timer, LongSupplier nanoTime) {
        this.registry = registry;
        this.timer = timer;
        this.nanoTime = nanoTime;
    }

    /** Retires the limited connections of {@code direct}'s peer, if {@code direct} is not limited itself. */
    void directUp(HostConnection direct) {
        if (direct.limited()) {
            return;
        }
        long deadline = nanoTime.getAsLong() + GRACE.toNanos();
        for (Connection connection : registry.of(direct.remotePeer())) {
            if (connection instanceof HostConnection relayed && relayed.limited() && relayed.isOpen()) {
                check(relayed, direct, deadline);
            }
        }
    }

    private void check(HostConnection relayed, HostConnection direct, long deadline) {
        if (!relayed.isOpen() || !direct.isOpen()) {
            // Gone already, or the direct connection went first: the relayed one is the way again.
            return;
        }
        if (relayed.streamCount() == 0 || nanoTime.getAsLong() - deadline >= 0) {
            log.debug("closing {}: a direct connection ({}) is up", relayed, direct.transport());
            relayed.close();
            return;
        }
        try {
            timer.schedule(() -> check(relayed, direct, deadline), CHECK_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The host is closing and closes every connection itself.
        }
    }
}
