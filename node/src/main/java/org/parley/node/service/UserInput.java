package org.parley.node.service;

import org.parley.libp2p.multiaddr.InvalidMultiaddrException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * Reads the identifiers users type (PeerIds, multiaddrs) for every feature, with errors that say
 * what a valid one looks like. Stateless.
 */
public final class UserInput {

    /** Longer text is not echoed back in a message: it says how long it was instead. */
    static final int MAX_ECHOED_LENGTH = PeerId.MAX_TEXT_LENGTH;

    private UserInput() {}

    /**
     * A PeerId ({@code 12D3KooW...} or {@code Qm...}).
     *
     * @throws ServiceException {@link ServiceException.Kind#BAD_INPUT} saying what a PeerId looks like
     */
    public static PeerId peerId(String text) {
        try {
            return PeerId.parse(text);
        } catch (IllegalArgumentException e) {
            // Text over the limit is not echoed: the parser's message says how long it was.
            String shown = text.length() > PeerId.MAX_TEXT_LENGTH ? "" : " '" + text + "'";
            throw ServiceException.badInput("bad PeerId" + shown + ": " + e.getMessage()
                    + "; a PeerId looks like 12D3KooW... or Qm...");
        }
    }

    /**
     * A multiaddr ({@code /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...}).
     *
     * @throws ServiceException {@link ServiceException.Kind#BAD_INPUT} naming the problem
     */
    public static Multiaddr multiaddr(String text) {
        try {
            return Multiaddr.parse(text);
        } catch (InvalidMultiaddrException e) {
            throw ServiceException.badInput("bad multiaddr '" + shown(text) + "': " + e.getMessage()
                    + "; a multiaddr looks like /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...");
        }
    }

    /** The text as a user typed it, or its length when it is too long to repeat. */
    static String shown(String text) {
        return text.length() > MAX_ECHOED_LENGTH ? "(" + text.length() + " characters)" : text;
    }
}
