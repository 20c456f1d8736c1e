/**
 * The keyspace ({@link org.parley.dht.routing.KadId}) and the routing table: k-buckets, replacement cache, IP diversity limits, address scope, persistence.
 */
package org.parley.dht.routing;
