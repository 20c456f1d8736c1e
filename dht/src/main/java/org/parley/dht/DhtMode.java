package org.parley.dht;

/** Whether a DHT node currently serves others (server) or only asks (client). */
public enum DhtMode {
    /**
     * Asks, provides and puts, but accepts no inbound kad streams and does not list the kad
     * protocol in identify, so no routing table admits it.
     */
    CLIENT,
    /** Also answers kad requests and lists {@code /ipfs/kad/1.0.0} in identify. */
    SERVER
}
