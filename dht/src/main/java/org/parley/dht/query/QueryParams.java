package org.parley.dht.query;

import java.time.Duration;

/**
 * The tuning of iterative lookups, taken from the node's configuration. Immutable.
 *
 * @param k how many closest peers a lookup converges on
 * @param alpha requests in flight at once, shared across disjoint paths
 * @param disjointPaths S/Kademlia paths that never share a peer; 1 turns the feature off
 * @param quorum valid copies a value read collects before it stops early
 * @param requestTimeout how long one request may take
 * @param queryTimeout how long a whole lookup may take
 * @param evictAfterFailures consecutive failed requests after which a peer leaves the table
 */
public record QueryParams(int k, int alpha, int disjointPaths, int quorum, Duration requestTimeout,
        Duration queryTimeout, int evictAfterFailures) {

    public QueryParams {
        if (k < 1 || alpha < 1 || disjointPaths < 1 || quorum < 1 || evictAfterFailures < 1) {
            throw new IllegalArgumentException("k, alpha, disjointPaths, quorum and evictAfterFailures must be >= 1");
        }
        if (disjointPaths > alpha) {
            throw new IllegalArgumentException("disjointPaths (" + disjointPaths + ") cannot exceed alpha (" + alpha
                    + "): each path needs a request in flight");
        }
    }

    /** The same tuning with another number of disjoint paths. */
    public QueryParams withDisjointPaths(int paths) {
        return new QueryParams(k, alpha, paths, quorum, requestTimeout, queryTimeout, evictAfterFailures);
    }
}
