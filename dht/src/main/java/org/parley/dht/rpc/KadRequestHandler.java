package org.parley.dht.rpc;

import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.parley.dht.provider.ProviderStore;
import org.parley.dht.record.InvalidRecordException;
import org.parley.dht.record.RecordStore;
import org.parley.dht.record.RecordValidator;
import org.parley.dht.routing.AddressScope;
import org.parley.dht.routing.KadId;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.routing.RoutingTable;
import org.parley.libp2p.core.InternalFaultException;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers inbound kad requests as a DHT server: FIND_NODE, GET_PROVIDERS, ADD_PROVIDER, GET_VALUE,
 * PUT_VALUE and PING. Works on {@link KadMessage}s only; the transport reads and writes the bytes.
 * Thread safe (its stores and table are).
 *
 * <p>A request we refuse makes {@link #handle} throw {@link PeerFaultException}; the transport then
 * closes the stream without an answer, which is what the spec asks for invalid requests.
 *
 * <p>Peers handed out keep only the addresses in the routing table's {@link AddressScope}, and
 * provider entries are stored with those addresses only.
 */
public final class KadRequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(KadRequestHandler.class);

    private final PeerId self;
    private final RoutingTable table;
    private final ProviderStore providers;
    private final RecordStore records;
    private final RecordValidator validator;
    private final PeerRateLimiter limiter;
    private final PeerAddressBook addressBook;
    private final InstantSource clock;
    private final AddressScope scope;
    private final int k;

    /**
     * @param addressBook where FIND_NODE finds a target that is not in the routing table (us
     *     included)
     */
    public KadRequestHandler(PeerId self, RoutingTable table, ProviderStore providers, RecordStore records,
            RecordValidator validator, PeerRateLimiter limiter, PeerAddressBook addressBook, InstantSource clock) {
        this.self = self;
        this.table = table;
        this.providers = providers;
        this.records = records;
        this.validator = validator;
        this.limiter = limiter;
        this.addressBook = addressBook;
        this.clock = clock;
        this.scope = table.addressScope();
        this.k = table.k();
    }

    /**
     * Serves one request from the authenticated {@code sender}.
     *
     * @return the response, or empty for ADD_PROVIDER, which gets none
     * @throws PeerFaultException if the request is refused: over the sender's rate limit, or invalid
     * @throws InternalFaultException if a local store is full
     */
    public Optional<KadMessage> handle(PeerId sender, KadMessage request) throws Libp2pException {
        if (!limiter.tryAcquire(sender)) {
            throw new PeerFaultException("peer " + sender + " exceeded its kad request limit of "
                    + limiter.burst() + " at once and " + limiter.perSecond() + " per second");
        }
        Instant now = clock.instant();
        return switch (request.type()) {
            case FIND_NODE -> Optional.of(request.response(null, findNode(request.key(), sender), List.of()));
            case GET_PROVIDERS -> Optional.of(request.response(null, closerPeers(request.key(), sender),
                    providers.get(request.key(), now)));
            case ADD_PROVIDER -> {
                addProviders(sender, request, now);
                yield Optional.empty();
            }
            case GET_VALUE -> Optional.of(getValue(sender, request, now));
            case PUT_VALUE -> Optional.of(putValue(request, now));
            case PING -> Optional.of(request.response(null, List.of(), List.of()));
        };
    }

    private List<PeerRef> closerPeers(byte[] key, PeerId sender) {
        List<PeerRef> closest = table.closest(KadId.ofKey(key), k + 1);
        List<PeerRef> out = new ArrayList<>(Math.min(k, closest.size()));
        for (PeerRef p : closest) {
            if (out.size() < k && !p.id().equals(sender) && !p.id().equals(self)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The k closest servers from the routing table; if the key is a PeerId that is not among them
     * but whose addresses we know first hand (us, or a peer we are connected to, even a client),
     * that peer first, as the spec asks. Never the sender itself.
     */
    private List<PeerRef> findNode(byte[] key, PeerId sender) {
        List<PeerRef> closer = closerPeers(key, sender);
        PeerId target = peerIdOrNull(key);
        if (target == null || target.equals(sender) || closer.stream().anyMatch(p -> p.id().equals(target))) {
            return closer;
        }
        PeerRef known = scope.restrict(new PeerRef(target, addressBook.addresses(target)));
        if (known.addrs().isEmpty()) {
            return closer;
        }
        List<PeerRef> out = new ArrayList<>(Math.min(k, closer.size() + 1));
        out.add(known);
        out.addAll(closer.subList(0, Math.min(closer.size(), k - 1)));
        return out;
    }

    private static PeerId peerIdOrNull(byte[] key) {
        try {
            return PeerId.fromBytes(key);
        } catch (PeerFaultException e) {
            return null;
        }
    }

    private void addProviders(PeerId sender, KadMessage request, Instant now) throws PeerFaultException {
        byte[] key = request.key();
        if (key.length == 0 || key.length > KadProtocol.MAX_PROVIDER_KEY_BYTES) {
            throw new PeerFaultException("ADD_PROVIDER key of " + key.length + " bytes is outside 1 to "
                    + KadProtocol.MAX_PROVIDER_KEY_BYTES);
        }
        for (PeerRef entry : request.providerPeers()) {
            PeerRef provider = scope.restrict(entry);
            if (!provider.id().equals(sender)) {
                LOG.debug("ignoring ADD_PROVIDER entry for {} sent by {}", provider.id(), sender);
            } else if (provider.addrs().isEmpty()) {
                LOG.debug("ignoring ADD_PROVIDER entry without {} addresses from {}", scope, sender);
            } else if (!providers.add(key, provider, now)) {
                LOG.debug("provider store full; dropped ADD_PROVIDER from {}", sender);
            }
        }
    }

    private KadMessage getValue(PeerId sender, KadMessage request, Instant now) throws PeerFaultException {
        byte[] key = request.key();
        if (key.length == 0) {
            throw new PeerFaultException("GET_VALUE with an empty key");
        }
        KadRecord record = records.get(key, now)
                .map(r -> new KadRecord(r.key(), r.value(), DateTimeFormatter.ISO_INSTANT.format(r.receivedAt())))
                .orElse(null);
        return request.response(record, closerPeers(key, sender), List.of());
    }

    private KadMessage putValue(KadMessage request, Instant now) throws Libp2pException {
        KadRecord record = request.record();
        if (record == null) {
            throw new PeerFaultException("PUT_VALUE without a record");
        }
        byte[] key = request.key();
        if (!Arrays.equals(key, record.key())) {
            throw new InvalidRecordException("PUT_VALUE key differs from its record's key");
        }
        byte[] value = record.value();
        validator.validate(key, value);
        Optional<RecordStore.StoredRecord> existing = records.get(key, now);
        if (existing.isPresent() && !Arrays.equals(existing.get().value(), value)
                && validator.select(key, List.of(existing.get().value(), value)) == 0) {
            throw new InvalidRecordException("PUT_VALUE carries a value older than the one stored");
        }
        if (!records.put(key, value, now)) {
            throw new InternalFaultException("record store is full; PUT_VALUE refused");
        }
        return request;
    }
}
