package org.parley.node.nat;

import java.time.Clock;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.protocol.autonat.Reachability;
import org.parley.libp2p.protocol.relay.RelayConfig;
import org.parley.libp2p.protocol.relay.RelayService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node's circuit relay hop service as its {@link RelayServicePolicy} says: under
 * {@link RelayServicePolicy#AUTO} it follows AutoNAT's verdicts ({@link #onReachability}),
 * serving only while the node is public, since peers behind a NAT could not reach a relay that
 * is itself behind one. Thread safe.
 */
public final class RelayHop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayHop.class);

    private final Host host;
    private final PrivateKey identity;
    private final RelayConfig config;
    private final Clock clock;
    private final RelayServicePolicy policy;
    private RelayService running;
    private boolean closed;

    /**
     * @param identity the host's own key, which signs reservation vouchers
     */
    public RelayHop(Host host, PrivateKey identity, RelayConfig config, Clock clock, RelayServicePolicy policy) {
        this.host = host;
        this.identity = identity;
        this.config = config;
        this.clock = clock;
        this.policy = policy;
    }

    /** Starts serving at once under {@link RelayServicePolicy#ON}; otherwise waits for AutoNAT. */
    public synchronized void start() {
        if (policy == RelayServicePolicy.ON) {
            serve("relay service on (--relay-service on)");
        }
    }

    /** Follows AutoNAT under {@link RelayServicePolicy#AUTO}: serves while public, stops otherwise. */
    public synchronized void onReachability(Reachability reachability) {
        if (closed || policy != RelayServicePolicy.AUTO) {
            return;
        }
        if (reachability == Reachability.PUBLIC) {
            serve("relay service on: AutoNAT found the node publicly reachable");
        } else {
            stop("relay service off: AutoNAT found the node " + reachability.name().toLowerCase());
        }
    }

    /** Whether the hop protocol is served now. */
    public synchronized boolean serving() {
        return running != null;
    }

    /** Reservations peers hold with this node now; 0 while it does not serve. */
    public synchronized int reservationCount() {
        return running == null ? 0 : running.reservationCount();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (running != null) {
            running.close();
            running = null;
        }
    }

    private void serve(String why) {
        if (closed || running != null) {
            return;
        }
        RelayService service = new RelayService(host, identity, config, clock);
        service.start();
        running = service;
        log.info("{}; up to {} reservations", why, config.maxReservations());
    }

    private void stop(String why) {
        if (running == null) {
            return;
        }
        running.close();
        running = null;
        log.info(why);
    }
}
