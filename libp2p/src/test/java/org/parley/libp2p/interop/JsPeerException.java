package org.parley.libp2p.interop;

/**
 * A js interop peer failed: it did not start, exited, timed out, or answered a command with an
 * error. The message names the peer, the command and what js reported. Immutable.
 */
public final class JsPeerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JsPeerException(String message) {
        super(message);
    }

    public JsPeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
