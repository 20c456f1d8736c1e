package org.parley.node.devices;

/**
 * What runs the node and can start it again as a new device (the {@code NodeRunner}): the page's
 * "Link this device" hands the code to it, because a running node's features each hold the
 * identity they started with and cannot change it. Thread safe.
 */
public interface DeviceRelinker {

    /** How the last request went; survives the restart. */
    LinkThisStatus status();

    /**
     * Reserves a restart that links this node through {@code code}; the returned action starts it
     * in the background (stop this node, start it again as the new device) and returns at once.
     * The caller runs it after its answer has left, since the answer's node stops. If the link
     * fails, the node comes back as it was, with the reason in {@link #status()}.
     *
     * @throws IllegalStateException with a message for the user, if a link is under way already or
     *     the node is stopping
     */
    Runnable prepare(String code);
}
