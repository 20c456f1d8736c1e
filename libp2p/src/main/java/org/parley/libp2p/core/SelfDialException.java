package org.parley.libp2p.core;

import java.io.IOException;
import org.parley.libp2p.peer.PeerId;

/**
 * A host was asked to connect to its own peer id. A caller's mistake: libp2p has no connection to
 * oneself, and the local protocols are reached directly.
 */
public final class SelfDialException extends IOException {

    private final PeerId peer;

    public SelfDialException(PeerId peer) {
        super("cannot connect to ourselves (" + peer + "); this is the local node's own peer id");
        this.peer = peer;
    }

    /** Our own peer id, which was dialed. */
    public PeerId peer() {
        return peer;
    }
}
