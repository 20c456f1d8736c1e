package org.parley.libp2p.dnsaddr;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.parley.libp2p.multiaddr.InvalidMultiaddrException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Resolves {@code /dnsaddr/<host>[/p2p/<id>]} the way libp2p does: the TXT records at
 * {@code _dnsaddr.<host>} of the form {@code dnsaddr=<multiaddr>} are the host's addresses; one
 * that is itself a {@code /dnsaddr/} is resolved in turn. With a {@code /p2p/<id>} only records
 * ending in that same {@code /p2p/<id>} are kept (and followed), so one name can list many peers.
 * Depth, lookups and addresses are bounded by named constants, so a hostile or looping zone costs
 * a few queries. Thread safe; each call blocks its thread for at most a few DNS timeouts.
 *
 * <pre>
 *   _dnsaddr.bootstrap.libp2p.io.  TXT "dnsaddr=/dnsaddr/am6.bootstrap.libp2p.io/p2p/QmbLHAn..."
 *   _dnsaddr.am6.bootstrap.libp2p.io. TXT "dnsaddr=/ip4/147.75.87.27/tcp/4001/p2p/QmbLHAn..."
 * </pre>
 */
public final class DnsaddrResolver {

    /**
     * Nested {@code /dnsaddr/} levels followed. The public bootstrap list uses two (the list, then
     * one name per peer); four leaves room for an operator's own indirection and stops a loop fast.
     */
    public static final int MAX_DEPTH = 4;
    /**
     * DNS queries for one address. With a {@code /p2p/} filter the public list needs one per level;
     * 16 bounds a zone whose records fan out to many names.
     */
    public static final int MAX_LOOKUPS = 16;
    /**
     * Addresses returned for one {@code /dnsaddr/}. A peer publishes about ten (IPv4 and IPv6 over
     * TCP, QUIC, WebTransport); 32 bounds what a zone can make us store and dial.
     */
    public static final int MAX_ADDRESSES = 32;
    /** One DNS query's timeout: resolvers answer in milliseconds, a lost UDP packet is retried within it. */
    public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);
    /**
     * The UDP answer size we offer with EDNS(0): the DNS flag day 2020 value, which avoids IP
     * fragmentation; a larger answer comes truncated and is fetched again over TCP.
     */
    public static final int EDNS_UDP_PAYLOAD = 1232;
    /** The prefix of the name queried: {@code _dnsaddr.<host>}. */
    public static final String TXT_NAME_PREFIX = "_dnsaddr.";
    /** The prefix of a TXT record that holds an address. */
    public static final String RECORD_PREFIX = "dnsaddr=";

    private static final Logger LOG = LoggerFactory.getLogger(DnsaddrResolver.class);

    private final Resolver resolver;

    private DnsaddrResolver(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver);
    }

    /** A resolver using the system's DNS servers (from {@code /etc/resolv.conf} and the like). */
    public static DnsaddrResolver system() {
        ExtendedResolver resolver = new ExtendedResolver();
        resolver.setTimeout(QUERY_TIMEOUT);
        resolver.setEDNS(0, EDNS_UDP_PAYLOAD, 0, List.of());
        return new DnsaddrResolver(resolver);
    }

    /** A resolver asking one DNS server over UDP (TCP when an answer is truncated). */
    public static DnsaddrResolver using(InetSocketAddress server, Duration timeout) {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTimeout(timeout);
        resolver.setEDNS(0, EDNS_UDP_PAYLOAD, 0, List.of());
        return new DnsaddrResolver(resolver);
    }

    /** True if {@code address} starts with {@code /dnsaddr/}, so it must be resolved before dialing. */
    public static boolean isDnsaddr(Multiaddr address) {
        return !address.components().isEmpty() && address.components().getFirst().protocol() == Protocol.DNSADDR;
    }

    /**
     * The dialable addresses of {@code address}: itself if it is not a {@code /dnsaddr/}, else what
     * its TXT records say, in their order, without duplicates, at most {@link #MAX_ADDRESSES}.
     *
     * @throws DnsaddrException if the address has more than {@code /dnsaddr/<host>[/p2p/<id>]}, a
     *     lookup fails, or no address (for the peer named) is found
     */
    public List<Multiaddr> resolve(Multiaddr address) throws DnsaddrException {
        if (!isDnsaddr(address)) {
            return List.of(address);
        }
        Walk walk = new Walk();
        Target target;
        try {
            target = Target.of(address);
            walk.visit(target, 1);
        } catch (DnsaddrException e) {
            throw new DnsaddrException("cannot resolve " + address + ": " + e.getMessage(), e);
        }
        if (walk.found.isEmpty()) {
            throw new DnsaddrException("cannot resolve " + address + ": " + (walk.problem != null ? walk.problem
                    : "its TXT records at " + TXT_NAME_PREFIX + target.host() + " list no address"
                            + (target.peer() != null ? " for that peer" : "")));
        }
        return List.copyOf(walk.found);
    }

    /** The parts of {@code /dnsaddr/<host>[/p2p/<id>]}. */
    private record Target(String host, PeerId peer) {
        static Target of(Multiaddr address) throws DnsaddrException {
            List<Multiaddr.Component> parts = address.components();
            boolean shapeOk = parts.size() == 1 || (parts.size() == 2 && address.peerId() != null);
            if (!shapeOk) {
                throw new DnsaddrException("expected /dnsaddr/<host> or /dnsaddr/<host>/p2p/<peer id>, got "
                        + address);
            }
            return new Target(parts.getFirst().textValue(), address.peerId());
        }
    }

    /** One resolution's state: what was found, how many lookups were spent, the first problem seen. */
    private final class Walk {
        final Set<Multiaddr> found = new LinkedHashSet<>();
        int lookups;
        String problem;

        void visit(Target target, int depth) throws DnsaddrException {
            if (lookups >= MAX_LOOKUPS) {
                note("it needs more than " + MAX_LOOKUPS + " DNS lookups");
                return;
            }
            lookups++;
            for (Multiaddr record : lookup(target.host())) {
                if (found.size() >= MAX_ADDRESSES) {
                    return;
                }
                if (target.peer() != null && !target.peer().equals(record.peerId())) {
                    continue;
                }
                if (!isDnsaddr(record)) {
                    found.add(record);
                } else if (depth >= MAX_DEPTH) {
                    note("its records nest /dnsaddr/ more than " + MAX_DEPTH + " levels deep");
                } else {
                    try {
                        visit(Target.of(record), depth + 1);
                    } catch (DnsaddrException e) {
                        // One bad branch costs only that branch; the message is kept for the error.
                        note(e.getMessage());
                    }
                }
            }
        }

        void note(String what) {
            if (problem == null) {
                problem = what;
            }
        }
    }

    /** The {@code dnsaddr=} addresses in the TXT records at {@code _dnsaddr.<host>}. */
    private List<Multiaddr> lookup(String host) throws DnsaddrException {
        String queried = TXT_NAME_PREFIX + host;
        Name name;
        try {
            name = Name.fromString(queried, Name.root);
        } catch (TextParseException e) {
            throw new DnsaddrException("'" + host + "' is not a valid DNS name: " + e.getMessage(), e);
        }
        Message answer;
        try {
            answer = resolver.send(Message.newQuery(Record.newRecord(name, Type.TXT, DClass.IN)));
        } catch (IOException e) {
            throw new DnsaddrException("the DNS lookup of " + queried + " failed: " + e.getMessage(), e);
        }
        int rcode = answer.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            throw new DnsaddrException(queried + " does not exist in DNS");
        }
        if (rcode != Rcode.NOERROR) {
            throw new DnsaddrException("the DNS lookup of " + queried + " failed: " + Rcode.string(rcode));
        }
        List<Multiaddr> out = new ArrayList<>();
        for (Record r : answer.getSection(Section.ANSWER)) {
            if (r instanceof TXTRecord txt && r.getName().equals(name)) {
                // A long value may be split into several character-strings; together they are one value.
                String value = String.join("", txt.getStrings());
                if (!value.startsWith(RECORD_PREFIX)) {
                    continue;
                }
                try {
                    out.add(Multiaddr.parse(value.substring(RECORD_PREFIX.length())));
                } catch (InvalidMultiaddrException e) {
                    LOG.debug("ignoring a bad dnsaddr record at {}: {}", queried, e.getMessage());
                }
            }
        }
        return out;
    }
}
