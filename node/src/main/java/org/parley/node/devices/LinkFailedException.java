package org.parley.node.devices;

import java.io.IOException;

/**
 * The node was started to link as a new device ({@code --link CODE}) and the link failed: the
 * node does not start, and the message says what to do. Immutable.
 */
public final class LinkFailedException extends IOException {

    public LinkFailedException(String message) {
        super(message);
    }
}
