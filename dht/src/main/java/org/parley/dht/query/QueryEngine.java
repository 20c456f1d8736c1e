package org.parley.dht.query;

import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.parley.dht.net.KadNetwork;
import org.parley.dht.record.InvalidRecordException;
import org.parley.dht.record.RecordValidator;
import org.parley.dht.routing.AddressScope;
import org.parley.dht.routing.KadId;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.routing.RoutingTable;
import org.parley.dht.rpc.KadMessage;
import org.parley.dht.rpc.KadRecord;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of the DHT: iterative lookups for closest peers, a peer, providers and values,
 * and the fan-out of ADD_PROVIDER and PUT_VALUE to the closest peers. Thread safe; each query runs
 * on the calling thread and spreads its requests over virtual threads.
 *
 * <p>Every answer refreshes the answering peer in the routing table (it is a DHT server: it
 * accepted our kad stream) and every failure counts against it. Peers named in answers keep only
 * the addresses in the table's {@link AddressScope}; those left with none are not followed.
 */
public final class QueryEngine {

    private static final Logger LOG = LoggerFactory.getLogger(QueryEngine.class);

    private final PeerId self;
    private final KadNetwork network;
    private final RoutingTable table;
    private final RecordValidator validator;
    private final QueryParams params;
    private final InstantSource clock;

    public QueryEngine(PeerId self, KadNetwork network, RoutingTable table, RecordValidator validator,
            QueryParams params, InstantSource clock) {
        this.self = self;
        this.network = network;
        this.table = table;
        this.validator = validator;
        this.params = params;
        this.clock = clock;
    }

    public QueryParams params() {
        return params;
    }

    /**
     * The k peers closest to {@code key} that answered a FIND_NODE lookup; with disjoint paths, the
     * k closest of each path.
     */
    public ClosestPeersResult closestPeers(byte[] key) {
        KadMessage request = KadMessage.findNode(key);
        Lookup.Result r = run(KadId.ofKey(key), request, (from, answer, depth) -> false);
        return new ClosestPeersResult(r.closest(), r.stats());
    }

    /**
     * Finds {@code target}'s addresses: from the routing table if it is there, else by a FIND_NODE
     * lookup that stops at the first answer naming it with addresses.
     */
    public FindPeerResult findPeer(PeerId target) {
        KadId targetId = KadId.of(target);
        Optional<PeerRef> local = table.find(target, targetId);
        if (local.isPresent() && !local.get().addrs().isEmpty()) {
            return new FindPeerResult(local, QueryStats.LOCAL);
        }
        PeerRef[] found = new PeerRef[1];
        Lookup.Result r = run(targetId, KadMessage.findNode(target.bytes()), (from, answer, depth) -> {
            if (from.id().equals(target)) {
                found[0] = from;
                return true;
            }
            for (PeerRef p : answer.closerPeers()) {
                if (p.id().equals(target) && (found[0] == null || found[0].addrs().isEmpty())) {
                    found[0] = p;
                }
            }
            return found[0] != null && !found[0].addrs().isEmpty();
        });
        return new FindPeerResult(Optional.ofNullable(found[0]), r.stats());
    }

    /**
     * Finds providers of {@code key}, handing each new one to {@code onProvider} as it arrives (on
     * this thread: a slow consumer slows the lookup). Stops after {@code limit} providers.
     *
     * @param local providers this node already holds; delivered first
     */
    public ProvidersResult findProviders(byte[] key, int limit, List<PeerRef> local, Consumer<PeerRef> onProvider) {
        Map<PeerId, PeerRef> found = new LinkedHashMap<>();
        for (PeerRef p : local) {
            if (found.size() < limit && found.putIfAbsent(p.id(), p) == null) {
                onProvider.accept(p);
            }
        }
        if (found.size() >= limit) {
            return new ProvidersResult(List.copyOf(found.values()), QueryStats.LOCAL);
        }
        Lookup.Result r = run(KadId.ofKey(key), KadMessage.getProviders(key), (from, answer, depth) -> {
            for (PeerRef p : answer.providerPeers()) {
                if (found.size() < limit && found.putIfAbsent(p.id(), p) == null) {
                    onProvider.accept(p);
                }
            }
            return found.size() >= limit;
        });
        return new ProvidersResult(List.copyOf(found.values()), r.stats());
    }

    /**
     * Reads the value under {@code key}: collects valid copies until the quorum is reached or the
     * lookup converges, picks the best with the validator, then sends it to the closest peers that
     * held none or a worse one (entry correction).
     *
     * @param local the value this node holds, if any; counts as one copy
     */
    public GetValueResult getValue(byte[] key, Optional<byte[]> local) {
        Map<PeerId, byte[]> copies = new LinkedHashMap<>();
        List<byte[]> values = new ArrayList<>();
        local.ifPresent(values::add);
        Lookup.Result r = run(KadId.ofKey(key), KadMessage.getValue(key), (from, answer, depth) -> {
            KadRecord record = answer.record();
            if (record == null) {
                return false;
            }
            if (!Arrays.equals(record.key(), key)) {
                LOG.debug("{} answered GET_VALUE with a record for another key", from.id());
                return false;
            }
            try {
                validator.validate(key, record.value());
            } catch (InvalidRecordException e) {
                LOG.debug("{} answered GET_VALUE with an invalid record: {}", from.id(), e.getMessage());
                return false;
            }
            copies.put(from.id(), record.value());
            values.add(record.value());
            return values.size() >= params.quorum();
        });
        if (values.isEmpty()) {
            return new GetValueResult(Optional.empty(), 0, 0, r.stats());
        }
        byte[] best = values.get(validator.select(key, values));
        List<PeerRef> outdated = new ArrayList<>();
        for (PeerRef p : r.closest()) {
            byte[] held = copies.get(p.id());
            if (held == null || !Arrays.equals(held, best)) {
                outdated.add(p);
            }
        }
        int corrected = outdated.isEmpty() ? 0 : fanOut(outdated, KadMessage.putValue(new KadRecord(key, best)), true);
        return new GetValueResult(Optional.of(best), values.size(), corrected, r.stats());
    }

    /**
     * Announces {@code self} as a provider of {@code key} to the closest peers (with disjoint
     * paths, to every path's closest).
     *
     * @return how many peers took the announcement
     */
    public int provide(byte[] key, PeerRef self) {
        List<PeerRef> closest = closestPeers(key).peers();
        return fanOut(closest, KadMessage.addProvider(key, self), false);
    }

    /**
     * Sends {@code message} to every peer in {@code peers} at once and waits for all.
     *
     * @param expectAnswer true to wait for each peer's response (PUT_VALUE), false to only write it
     *     (ADD_PROVIDER)
     * @return how many peers took the message
     */
    public int fanOut(List<PeerRef> peers, KadMessage message, boolean expectAnswer) {
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>(peers.size());
            for (PeerRef peer : peers) {
                results.add(exec.submit(() -> deliver(peer, message, expectAnswer)));
            }
            int ok = 0;
            for (Future<Boolean> f : results) {
                try {
                    if (f.get()) {
                        ok++;
                    }
                } catch (ExecutionException e) {
                    LOG.warn("sending {} failed with a bug", message.type(), e.getCause());
                }
            }
            return ok;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private boolean deliver(PeerRef peer, KadMessage message, boolean expectAnswer) {
        try {
            if (expectAnswer) {
                KadMessage answer = network.request(peer, message, params.requestTimeout());
                if (answer.type() != message.type()) {
                    LOG.debug("{} answered {} with {}", peer.id(), message.type(), answer.type());
                    return false;
                }
            } else {
                network.send(peer, message, params.requestTimeout());
            }
            table.markResponsive(peer.id(), peer.kadId(), clock.instant());
            return true;
        } catch (IOException e) {
            LOG.debug("{} to {} failed: {}", message.type(), peer.id(), e.getMessage());
            table.markFailed(peer.id(), peer.kadId(), params.evictAfterFailures(), clock.instant());
            return false;
        }
    }

    private Lookup.Result run(KadId target, KadMessage request, AnswerCheck check) {
        List<PeerRef> seeds = table.closest(target, params.k());
        Lookup lookup = new Lookup(params, target, self);
        return lookup.run(seeds, peer -> {
            KadMessage answer = network.request(peer, request, params.requestTimeout());
            if (answer.type() != request.type()) {
                throw new PeerFaultException(
                        "kad peer answered " + request.type() + " with " + answer.type());
            }
            return inScope(answer);
        }, new Lookup.Observer() {
            @Override
            public boolean onAnswer(PeerRef from, KadMessage answer, int depth) {
                table.tryAdd(from, clock.instant());
                return check.done(from, answer, depth);
            }

            @Override
            public void onFailure(PeerRef peer, IOException error) {
                LOG.debug("kad {} to {} failed: {}", request.type(), peer.id(), error.getMessage());
                table.markFailed(peer.id(), peer.kadId(), params.evictAfterFailures(), clock.instant());
            }
        });
    }

    /** {@code answer} with only the peers and addresses of the table's address scope. */
    private KadMessage inScope(KadMessage answer) {
        AddressScope scope = table.addressScope();
        if (scope == AddressScope.ALL) {
            return answer;
        }
        return new KadMessage(answer.type(), answer.key(), answer.record(), scope.restrictAll(answer.closerPeers()),
                answer.providerPeers().stream().map(scope::restrict).toList());
    }

    @FunctionalInterface
    private interface AnswerCheck {
        boolean done(PeerRef from, KadMessage answer, int depth);
    }
}
