package org.parley.node.nat.netns;

import java.util.List;

/**
 * How a home network's NAT maps its hosts' flows to its public address, as the iptables rule in
 * the NAT's namespace says it.
 */
enum NatBehaviour {

    /**
     * Linux's default MASQUERADE: one public port per inside socket whoever it talks to (it keeps
     * the inside port when free), and conntrack lets in only replies from where the flow went: a
     * port-restricted cone, what most home routers do.
     */
    PORT_RESTRICTED(List.of(), "Endpoint Independent Mapping"),

    /**
     * A fresh random public port for every flow, so each destination sees the same inside socket
     * at a different port: a symmetric NAT, through which hole punching fails and only a relay
     * connects.
     */
    SYMMETRIC(List.of("--random-fully"), "Address and Port Dependent Mapping");

    private final List<String> masqueradeOptions;
    private final String mapping;

    NatBehaviour(List<String> masqueradeOptions, String mapping) {
        this.masqueradeOptions = masqueradeOptions;
        this.mapping = mapping;
    }

    /** The mapping behaviour (RFC 5780's words) that coturn's NAT discovery reports for such a NAT. */
    String mapping() {
        return mapping;
    }

    /** The options after {@code -j MASQUERADE}. */
    List<String> masqueradeOptions() {
        return masqueradeOptions;
    }
}
