/**
 * Iterative lookups (alpha concurrent requests, optional S/Kademlia disjoint paths) and the client-side queries built on them.
 */
package org.parley.dht.query;
