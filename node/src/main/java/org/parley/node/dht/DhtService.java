package org.parley.node.dht;

import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.dht.KadDht;
import org.parley.dht.query.FindPeerResult;
import org.parley.dht.query.GetValueResult;
import org.parley.dht.query.ProvidersResult;
import org.parley.dht.record.InvalidRecordException;
import org.parley.dht.record.ParleyRecord;
import org.parley.dht.routing.PeerRef;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.service.ServiceException;

/**
 * The node's use of the DHT for every feature: finding peers, providing keys and finding
 * providers, reading records, and numbering and signing this node's own {@code /parley/} records.
 * Reads the keys users type ({@link DhtKeys}) with this node's {@code self}. Lookups block the
 * caller. Thread safe.
 */
public final class DhtService {

    /** As many providers as one GET_PROVIDERS answer from a full bucket carries. */
    public static final int DEFAULT_PROVIDER_LIMIT = 20;
    /** Beyond a few hundred providers a list is for a crawler, not for a person or a script. */
    public static final int MAX_PROVIDER_LIMIT = 1000;

    /** A record read from the DHT; for a /parley/ record its data, signer and sequence number. */
    public record RecordRead(DhtKeys.RecordKey key, byte[] value, int copies, Optional<PeerId> signer,
            Optional<Long> seq) {}

    /** A record this node stored: its sequence number and how many peers took it. */
    public record RecordPut(DhtKeys.RecordKey key, long seq, int storedOn) {}

    private final KadDht dht;
    private final PrivateKey identity;
    private final PeerId self;
    private final InstantSource clock;
    /** The seq of our last put: each put must supersede the one before, even within one millisecond. */
    private final AtomicLong lastSeq = new AtomicLong();

    /**
     * @param identity signs this node's records; its PeerId is what {@code self} stands for
     * @param clock numbers records: a later put gets a higher seq even across restarts
     */
    public DhtService(KadDht dht, PrivateKey identity, InstantSource clock) {
        this.dht = dht;
        this.identity = identity;
        this.self = PeerId.fromPublicKey(identity.publicKey());
        this.clock = clock;
    }

    /** The DHT itself, for what this service does not wrap (the routing table, the mode). */
    public KadDht dht() {
        return dht;
    }

    /** Reads a provider key as typed ({@code bafy...}, {@code Qm...}, {@code self}). */
    public DhtKeys.ProviderKey providerKey(String text) {
        return DhtKeys.providerKey(text, self, identity.publicKey().marshal());
    }

    /** Reads a record key as typed ({@code /pk/<PeerId>}, {@code /parley/self/<name>}). */
    public DhtKeys.RecordKey recordKey(String text) {
        return DhtKeys.recordKey(text, self);
    }

    /**
     * The peer's record in the DHT, with its addresses.
     *
     * @throws ServiceException BAD_INPUT for this node itself, NOT_FOUND if no peer knows it,
     *     UNAVAILABLE without DHT peers
     */
    public PeerRef findPeer(PeerId peer) {
        if (peer.equals(self)) {
            // No other peer holds a record of us to hand back; the lookup would end in "not found".
            throw ServiceException.badInput(peer + " is this node's own PeerId; its addresses are what parley id"
                    + " prints");
        }
        requirePeers();
        FindPeerResult result = dht.findPeer(peer);
        return result.peer().orElseThrow(() -> ServiceException.notFound("peer " + peer
                + " was not found in the DHT (asked " + result.stats().requests() + " peers in "
                + result.stats().rounds() + " rounds)"));
    }

    /**
     * Announces this node as a provider of {@code key}.
     *
     * @return how many peers took the announcement
     */
    public int provide(DhtKeys.ProviderKey key) {
        requirePeers();
        try {
            return dht.provide(key.bytes());
        } catch (IllegalArgumentException e) {
            throw ServiceException.badInput(e.getMessage());
        }
    }

    /** Up to {@code limit} providers of {@code key} (1..{@value #MAX_PROVIDER_LIMIT}). */
    public ProvidersResult providers(DhtKeys.ProviderKey key, int limit) {
        if (limit < 1 || limit > MAX_PROVIDER_LIMIT) {
            throw ServiceException.badInput("the provider limit must be 1.." + MAX_PROVIDER_LIMIT + ", got " + limit);
        }
        requirePeers();
        try {
            return dht.findProviders(key.bytes(), limit, provider -> { });
        } catch (IllegalArgumentException e) {
            throw ServiceException.badInput(e.getMessage());
        }
    }

    /**
     * The best record under {@code key}; a /parley/ record is checked and opened.
     *
     * @throws ServiceException NOT_FOUND if there is none, UNREACHABLE if the DHT returned an invalid one
     */
    public RecordRead get(DhtKeys.RecordKey key) {
        GetValueResult result = dht.getValue(key.bytes());
        byte[] value = result.value().orElseThrow(() -> ServiceException.notFound("no record found under "
                + key.text() + (dht.routingTable().size() == 0
                        ? "; the node knows no DHT servers yet: start it with --bootstrap" : "")));
        if (!ParleyRecord.NAMESPACE.equals(key.namespace())) {
            return new RecordRead(key, value, result.copies(), Optional.empty(), Optional.empty());
        }
        try {
            ParleyRecord record = ParleyRecord.parse(key.bytes(), value);
            return new RecordRead(key, record.data(), result.copies(), Optional.of(record.signer()),
                    Optional.of(record.seq()));
        } catch (InvalidRecordException e) {
            throw new ServiceException(ServiceException.Kind.UNREACHABLE, "the DHT returned an invalid record for "
                    + key.text() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Signs {@code data} as this node's record under {@code key} with a sequence number above every
     * earlier put, and stores it on the closest peers.
     *
     * @throws ServiceException BAD_INPUT for a key that is not {@code /parley/<own PeerId>/<name>}
     *     or a record the DHT refuses
     */
    public RecordPut put(DhtKeys.RecordKey key, byte[] data) {
        if (!ParleyRecord.NAMESPACE.equals(key.namespace()) || !key.peer().equals(self)) {
            throw ServiceException.badInput("only /parley/" + self + "/<name> (or /parley/self/<name>) can be put:"
                    + " the node signs the record with its own key, and nobody can sign for another peer");
        }
        requirePeers();
        long seq = lastSeq.updateAndGet(previous -> Math.max(previous + 1, clock.millis()));
        ParleyRecord record;
        try {
            record = ParleyRecord.sign(identity, key.name(), seq, data);
        } catch (IllegalArgumentException e) {
            throw ServiceException.badInput(e.getMessage());
        }
        try {
            return new RecordPut(key, seq, dht.putValue(record.key(), record.value()));
        } catch (InvalidRecordException e) {
            throw ServiceException.badInput("the record was refused: " + e.getMessage());
        }
    }

    /**
     * A lookup with an empty routing table asks nobody; say why instead of "not found".
     *
     * @throws ServiceException UNAVAILABLE saying how to give the node DHT peers
     */
    public void requirePeers() {
        if (dht.routingTable().size() == 0) {
            throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "the node knows no DHT servers yet, so it"
                    + " cannot ask the DHT: start it with --bootstrap <multiaddr of a DHT server>, or connect to one"
                    + " (parley connect MULTIADDR)");
        }
    }
}
