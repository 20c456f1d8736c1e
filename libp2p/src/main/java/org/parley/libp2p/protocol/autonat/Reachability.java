package org.parley.libp2p.protocol.autonat;

/** Whether others can dial us directly, as AutoNAT has found out. */
public enum Reachability {
    /** Peers dialed us back: we can serve the DHT and relay for others. */
    PUBLIC,
    /** Peers tried and failed: we are behind a NAT or firewall and need a relay. */
    PRIVATE,
    /** Not enough answers yet, or they disagree. */
    UNKNOWN
}
