package org.parley.libp2p.host.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.SecuredMuxedConnection;
import org.parley.libp2p.host.ConnectionStats.Closure;
import org.parley.libp2p.host.ConnectionStats.Refusal;
import org.parley.libp2p.host.HostLimits;

/**
 * Decides which accepted connections may run their upgrade, so that silent sockets cannot keep an
 * honest peer out. At most {@link HostLimits#maxInboundHandshakes()} run at once, at most
 * {@link HostLimits#maxHandshakesPerIp()} from one address (a further one is refused) and
 * {@link HostLimits#maxHandshakesPerSubnet()} from one /24 or /56 (or through one relay: see
 * {@link AdmissionKey}). When the subnet's (or relay's) or the
 * host's slots are full, a pending handshake there gives way to the newcomer: the oldest that
 * has not sent a byte yet (none read, none waiting to be read), else the oldest older than
 * {@link #MIN_AGE_TO_GIVE_WAY}. An honest dialer speaks at once, so a silent socket never pushes
 * it out (not even before its upgrade has read a byte), and a peer that finishes its
 * handshake in milliseconds always gets in; a socket that sends nothing holds its slot only until
 * the next newcomer. While at least half the slots are in use, handshakes older than
 * {@link HostLimits#pressureHandshakeTimeout()} are closed too.
 *
 * <p>An address whose silent handshake was pushed out or timed out is suspect for
 * {@link #SUSPECT_PERIOD}: it may still take a free slot, but it pushes no one out. Without that,
 * a flood's sockets would push each other (and an honest newcomer that has not been read from
 * yet) out as fast as they connect.
 *
 * <p>Thread safe. Closing the evicted connections wakes their upgrade threads, which then release
 * their (already freed) tickets.
 */
final class HandshakeAdmission {

    /**
     * A pending handshake that has sent bytes gives way only once it is this old: otherwise a
     * flood of new sockets could close an honest handshake before its three round trips are done.
     * Half a second is three round trips between continents.
     */
    static final Duration MIN_AGE_TO_GIVE_WAY = Duration.ofMillis(500);

    /**
     * Long enough that a flooding address cannot come back at once, short enough that an honest
     * peer on a bad link, or behind a NAT shared with a flooder, is pushed back only briefly.
     */
    static final Duration SUSPECT_PERIOD = Duration.ofSeconds(60);

    /**
     * Suspect addresses remembered at once, the oldest forgotten first: a flood from more
     * addresses than this is still held back by the subnet limit. About 100 bytes each.
     */
    static final int MAX_SUSPECTS = 4096;

    /** One pending handshake's slot; {@link #release()} it when the upgrade ends, well or not. */
    final class Ticket {
        private final Duplex raw;
        private final String address;
        private final String subnet;
        private final long startedNanos;
        /** Guarded by the admission's lock. */
        private boolean held = true;
        /** Set once the first byte came from the remote: a silent socket is the first to give way. */
        private volatile boolean heard;

        /**
         * True if the remote has sent a byte, whether or not the upgrade read it yet. Under load the
         * upgrade thread may not run for many milliseconds after the accept, while the accept loop
         * admits dozens of newcomers: judged only by what the upgrade read, an honest dialer whose
         * first bytes already wait in the socket would look silent and give way to them. Asks the
         * connection (without blocking) only until the answer is yes. Called under the admission's lock.
         */
        private boolean spoke() {
            if (!heard) {
                try {
                    if (raw.in().available() > 0) {
                        heard = true;
                    }
                } catch (IOException e) {
                    // Closed or broken: there is nothing left to spare.
                }
            }
            return heard;
        }

        private Ticket(Duplex raw, String address, String subnet, long startedNanos) {
            this.raw = raw;
            this.address = address;
            this.subnet = subnet;
            this.startedNanos = startedNanos;
            // Its transport ran the handshake, so it has spoken; and it has no bytes to ask about.
            this.heard = raw instanceof SecuredMuxedConnection;
        }

        /** Gives the slot back; idempotent, and a no-op for a ticket that gave way. */
        void release() {
            HandshakeAdmission.this.release(this);
        }

        /**
         * {@code raw}, noting on this ticket when the first byte arrives; run the upgrade over it. A
         * connection its transport already secured and multiplexed has spoken, and must reach the
         * upgrader as it is (the upgrader adopts it by its type), so it is returned unwrapped.
         */
        Duplex watch(Duplex raw) {
            if (raw instanceof SecuredMuxedConnection) {
                heard = true;
                return raw;
            }
            return new HeardDuplex(raw, this);
        }

        /** Marks the remote as heard from: for a connection whose handshake the transport ran, and for tests. */
        void heard() {
            heard = true;
        }
    }

    private final HostLimits limits;
    private final ConnectionCounters counters;
    private final LongSupplier nanoTime;
    /** Insertion order is age order: the first ticket is the oldest. */
    private final LinkedHashSet<Ticket> pending = new LinkedHashSet<>();
    private final Map<String, Integer> perAddress = new HashMap<>();
    private final Map<String, Integer> perSubnet = new HashMap<>();
    /** Address key to the nanoTime its suspicion ends, in insertion order. */
    private final LinkedHashMap<String, Long> suspects = new LinkedHashMap<>();

    HandshakeAdmission(HostLimits limits, ConnectionCounters counters, LongSupplier nanoTime) {
        this.limits = limits;
        this.counters = counters;
        this.nanoTime = nanoTime;
    }

    /** {@link #admit(Duplex, AdmissionKey)} for a connection straight from the IP address {@code ip}. */
    Ticket admit(Duplex raw, byte[] ip) {
        return admit(raw, AdmissionKey.ofIp(ip));
    }

    /**
     * Admits {@code raw}, counted against {@code key} (its address, and the subnet or relay it is
     * grouped by), to its upgrade, closing the handshakes that give way to it; returns null (and
     * counts why) if it is refused. The caller closes a refused connection.
     */
    Ticket admit(Duplex raw, AdmissionKey key) {
        List<Duplex> toClose = new ArrayList<>();
        Ticket ticket = null;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (pending.size() * 2 >= limits.maxInboundHandshakes()) {
                closeOverdue(now, toClose);
            }
            String address = key.address();
            String subnet = key.group();
            boolean mayPush = !isSuspect(address, now);
            if (perAddress.getOrDefault(address, 0) >= limits.maxHandshakesPerIp()) {
                counters.refused(Refusal.HANDSHAKES_PER_IP);
            } else if (perSubnet.getOrDefault(subnet, 0) >= limits.maxHandshakesPerSubnet()
                    && !(mayPush && giveWay(t -> t.subnet.equals(subnet), now, toClose))) {
                counters.refused(Refusal.HANDSHAKES_FULL);
            } else if (pending.size() >= limits.maxInboundHandshakes()
                    && !(mayPush && giveWay(t -> true, now, toClose))) {
                counters.refused(Refusal.HANDSHAKES_FULL);
            } else {
                ticket = new Ticket(raw, address, subnet, now);
                pending.add(ticket);
                perAddress.merge(address, 1, Integer::sum);
                perSubnet.merge(subnet, 1, Integer::sum);
            }
        }
        toClose.forEach(Duplex::close);
        return ticket;
    }

    /** Handshakes running now. */
    synchronized int pending() {
        return pending.size();
    }

    private synchronized void release(Ticket ticket) {
        if (ticket.held) {
            forget(ticket);
            pending.remove(ticket);
        }
    }

    /**
     * Frees the slot of a pending handshake that {@code scope} selects: the oldest silent one, else
     * the oldest that is at least {@link #MIN_AGE_TO_GIVE_WAY} old; false if there is none.
     */
    private boolean giveWay(Predicate<Ticket> scope, long now, List<Duplex> toClose) {
        Ticket victim = null;
        for (Ticket ticket : pending) {
            if (!scope.test(ticket)) {
                continue;
            }
            if (!ticket.spoke()) {
                victim = ticket;
                break;
            }
            if (victim == null && now - ticket.startedNanos >= MIN_AGE_TO_GIVE_WAY.toNanos()) {
                victim = ticket;
            }
        }
        if (victim == null) {
            return false;
        }
        pending.remove(victim);
        forget(victim);
        if (!victim.heard) {
            suspect(victim.address, now);
        }
        toClose.add(victim.raw);
        counters.closed(Closure.HANDSHAKE_GAVE_WAY);
        return true;
    }

    private boolean isSuspect(String address, long now) {
        Long until = suspects.get(address);
        if (until == null) {
            return false;
        }
        if (now - until >= 0) {
            suspects.remove(address);
            return false;
        }
        return true;
    }

    private void suspect(String address, long now) {
        suspects.remove(address);
        suspects.put(address, now + SUSPECT_PERIOD.toNanos());
        // Every entry lasts the same period, so insertion order is expiry order.
        for (Iterator<Long> oldest = suspects.values().iterator(); oldest.hasNext(); ) {
            long until = oldest.next();
            if (suspects.size() <= MAX_SUSPECTS && now - until < 0) {
                break;
            }
            oldest.remove();
        }
    }

    private void closeOverdue(long now, List<Duplex> toClose) {
        long limit = limits.pressureHandshakeTimeout().toNanos();
        for (Iterator<Ticket> it = pending.iterator(); it.hasNext(); ) {
            Ticket ticket = it.next();
            if (now - ticket.startedNanos < limit) {
                return; // the rest are younger
            }
            it.remove();
            forget(ticket);
            if (!ticket.heard) {
                suspect(ticket.address, now);
            }
            toClose.add(ticket.raw);
            counters.closed(Closure.HANDSHAKE_TOO_SLOW_UNDER_PRESSURE);
        }
    }

    private void forget(Ticket ticket) {
        ticket.held = false;
        perAddress.computeIfPresent(ticket.address, (k, n) -> n == 1 ? null : n - 1);
        perSubnet.computeIfPresent(ticket.subnet, (k, n) -> n == 1 ? null : n - 1);
    }

    /** A connection whose first received byte marks its ticket as heard. */
    private static final class HeardDuplex implements Duplex {
        private final Duplex raw;
        private final InputStream in;

        HeardDuplex(Duplex raw, Ticket ticket) {
            this.raw = raw;
            this.in = new FilterInputStream(raw.in()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0 && !ticket.heard) {
                        ticket.heard = true;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0 && !ticket.heard) {
                        ticket.heard = true;
                    }
                    return n;
                }
            };
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public OutputStream out() {
            return raw.out();
        }

        @Override
        public void close() {
            raw.close();
        }
    }
}
