package org.parley.dht.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.dht.net.KadTimeoutException;
import org.parley.dht.routing.KadId;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.KadMessage;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one iterative lookup: sends requests on virtual threads, at most alpha at a time, feeds
 * answers back into its {@link LookupPath}s and stops when they finish, when the observer says the
 * goal is reached, or at the query timeout. A request unanswered after the request timeout counts
 * as failed even if the network has not given up on it yet. All path state and all observer calls stay on the
 * calling thread; request threads only hand results back through a queue.
 */
final class Lookup {

    /** Sends the lookup's request to one peer; blocking. */
    @FunctionalInterface
    interface Rpc {
        KadMessage call(PeerRef peer) throws IOException;
    }

    /** Sees every answer and failure, on the lookup's thread. */
    interface Observer {
        /** Returns true if the lookup has what it needs and should stop now. */
        boolean onAnswer(PeerRef from, KadMessage answer, int depth);

        void onFailure(PeerRef peer, IOException error);
    }

    /**
     * The outcome.
     *
     * @param closest the k closest peers that answered (per path, with disjoint paths), closest first
     * @param stopDepth the depth of the answer that stopped the lookup early, or -1
     */
    record Result(List<PeerRef> closest, int requests, int failures, int closestDepth, int stopDepth) {

        QueryStats stats() {
            return new QueryStats(requests, failures, stopDepth >= 0 ? stopDepth : closestDepth);
        }
    }

    private record InFlight(int path, long deadline) {}

    private record Completion(int path, LookupPath.Candidate candidate, KadMessage answer, IOException error) {}

    private static final Logger LOG = LoggerFactory.getLogger(Lookup.class);

    /** A server sends k peers; we read at most this many times that from one answer. */
    static final int CLOSER_PEERS_READ_FACTOR = 2;

    private final QueryParams params;
    private final KadId target;
    private final PeerId self;

    Lookup(QueryParams params, KadId target, PeerId self) {
        this.params = params;
        this.target = target;
        this.self = self;
    }

    Result run(List<PeerRef> seeds, Rpc rpc, Observer observer) {
        int pathCount = params.disjointPaths();
        int perPathAlpha = Math.max(1, params.alpha() / pathCount);
        Set<PeerId> claimed = new HashSet<>();
        List<LookupPath> paths = new ArrayList<>(pathCount);
        for (int i = 0; i < pathCount; i++) {
            paths.add(new LookupPath(target, params.k(), perPathAlpha, self, claimed));
        }
        List<PeerRef> sorted = new ArrayList<>(seeds);
        sorted.sort((a, b) -> target.compareDistance(a.kadId(), b.kadId()));
        for (int i = 0; i < sorted.size(); i++) {
            paths.get(i % pathCount).addCandidates(List.of(sorted.get(i)), 1);
        }

        LinkedBlockingQueue<Completion> done = new LinkedBlockingQueue<>();
        Map<LookupPath.Candidate, InFlight> inFlight = new HashMap<>();
        long requestNanos = params.requestTimeout().toNanos();
        long deadline = System.nanoTime() + params.queryTimeout().toNanos();
        int requests = 0;
        int failures = 0;
        int maxCloser = params.k() * CLOSER_PEERS_READ_FACTOR;
        while (true) {
            for (int p = 0; p < pathCount; p++) {
                for (LookupPath.Candidate c : paths.get(p).next()) {
                    requests++;
                    inFlight.put(c, new InFlight(p, System.nanoTime() + requestNanos));
                    launch(p, c, rpc, done);
                }
            }
            if (inFlight.isEmpty()) {
                break;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                LOG.debug("lookup for {} reached its {} timeout with {} requests in flight", target,
                        params.queryTimeout(), inFlight.size());
                break;
            }
            long wakeUp = deadline;
            for (InFlight f : inFlight.values()) {
                if (f.deadline - wakeUp < 0) {
                    wakeUp = f.deadline;
                }
            }
            Completion completion;
            try {
                completion = done.poll(Math.max(0, wakeUp - now), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (completion == null) {
                failures += expireOverdue(paths, inFlight, observer);
                continue;
            }
            LookupPath.Candidate c = completion.candidate;
            if (inFlight.remove(c) == null) {
                continue;
            }
            LookupPath path = paths.get(completion.path);
            if (completion.error != null) {
                failures++;
                path.failed(c);
                observer.onFailure(c.peer, completion.error);
                continue;
            }
            path.succeeded(c);
            if (observer.onAnswer(c.peer, completion.answer, c.depth)) {
                return result(paths, requests, failures, c.depth);
            }
            List<PeerRef> closer = completion.answer.closerPeers();
            path.addCandidates(closer.size() > maxCloser ? closer.subList(0, maxCloser) : closer, c.depth + 1);
        }
        return result(paths, requests, failures, -1);
    }

    /**
     * Fails the requests whose answer is overdue, whether or not the network noticed: a peer that
     * never answers must not hold a lookup until its whole timeout.
     */
    private int expireOverdue(List<LookupPath> paths, Map<LookupPath.Candidate, InFlight> inFlight,
            Observer observer) {
        long now = System.nanoTime();
        int expired = 0;
        for (Iterator<Map.Entry<LookupPath.Candidate, InFlight>> it = inFlight.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<LookupPath.Candidate, InFlight> e = it.next();
            if (now - e.getValue().deadline >= 0) {
                it.remove();
                expired++;
                paths.get(e.getValue().path).failed(e.getKey());
                observer.onFailure(e.getKey().peer, new KadTimeoutException("no kad answer from "
                        + e.getKey().peer.id() + " within " + params.requestTimeout()));
            }
        }
        return expired;
    }

    private static void launch(int path, LookupPath.Candidate c, Rpc rpc, LinkedBlockingQueue<Completion> done) {
        Thread.ofVirtual().name("kad-request").start(() -> {
            try {
                done.add(new Completion(path, c, rpc.call(c.peer), null));
            } catch (IOException e) {
                done.add(new Completion(path, c, null, e));
            } catch (RuntimeException e) {
                LOG.warn("kad request to {} failed with a bug", c.peer.id(), e);
                done.add(new Completion(path, c, null, new IOException("request failed: " + e, e)));
            }
        });
    }

    /**
     * With one path, its k closest that answered. With disjoint paths, each path's k closest
     * together: a path led astray by bad peers ends among them, an honest path ends among the
     * honest peers really closest to the key, and storing on both reaches the latter.
     */
    private Result result(List<LookupPath> paths, int requests, int failures, int stopDepth) {
        List<LookupPath.Candidate> all = new ArrayList<>();
        for (LookupPath path : paths) {
            all.addAll(path.closestSucceeded(params.k()));
        }
        all.sort(Comparator.comparing(c -> c.peer.kadId(), target::compareDistance));
        List<PeerRef> closest = new ArrayList<>(all.size());
        int depth = 0;
        for (int i = 0; i < all.size() && (paths.size() > 1 || closest.size() < params.k()); i++) {
            closest.add(all.get(i).peer);
            depth = Math.max(depth, all.get(i).depth);
        }
        return new Result(closest, requests, failures, depth, stopDepth);
    }
}
