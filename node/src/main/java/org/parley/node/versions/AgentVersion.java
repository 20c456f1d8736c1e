package org.parley.node.versions;

/**
 * A client's name and version, as read from the agent version it announces in identify:
 * {@code parley/0.1.0} gives {@code parley} and {@code 0.1.0}; {@code js-libp2p/2.1.0 UserAgent=...}
 * gives {@code js-libp2p} and {@code 2.1.0} (the first word counts; the name is what comes before
 * its last {@code /}). Immutable.
 */
record AgentVersion(String name, String version) {

    static AgentVersion parse(String agent) {
        String first = agent.strip().split("\\s+", 2)[0];
        int slash = first.lastIndexOf('/');
        return slash < 0 ? new AgentVersion(first, "") : new AgentVersion(first.substring(0, slash), first.substring(slash + 1));
    }
}
