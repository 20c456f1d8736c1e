package org.parley.dht.query;

/**
 * What one DHT query cost.
 *
 * @param requests requests sent
 * @param failures requests that timed out, were refused or got an invalid answer
 * @param rounds the length of the longest chain of answers the result depended on: for a query
 *     that stopped on a find (a peer, a quorum, enough providers), the depth of the answer that
 *     completed it; otherwise the deepest of the k closest peers that answered. 0 when answered
 *     from local state.
 */
public record QueryStats(int requests, int failures, int rounds) {

    public static final QueryStats LOCAL = new QueryStats(0, 0, 0);
}
