package org.parley.libp2p.protocol.autonat.wire;

import java.util.List;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/** One AutoNAT v1 message: a client's {@link Dial} request or the server's {@link DialResponse}. */
public sealed interface AutoNatMessage {

    /** "Dial me back at these addresses"; {@code peer} must be the sender itself. */
    record Dial(PeerId peer, List<Multiaddr> addresses) implements AutoNatMessage {
        public Dial {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * The server's verdict.
     *
     * @param statusText free text for logs, possibly empty
     * @param address the address that answered, for {@link AutoNatStatus#OK}; null otherwise
     */
    record DialResponse(AutoNatStatus status, String statusText, Multiaddr address) implements AutoNatMessage {
        public DialResponse {
            java.util.Objects.requireNonNull(status, "status");
            statusText = statusText == null ? "" : statusText;
        }
    }
}
