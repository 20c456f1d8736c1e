package org.parley.node.devices;

import java.util.Objects;

/**
 * How the last request to link this node as a new device from its page went ({@code POST
 * /api/devices/link-this}). Kept by the {@link DeviceRelinker}, which outlives the node it restarts,
 * so the page reads it from the node that came back. Immutable.
 *
 * @param message for {@link State#FAILED}, what went wrong and what to do; otherwise empty
 */
public record LinkThisStatus(State state, String message) {

    /** Where the request stands. */
    public enum State {
        /** Nothing was asked since the process started. */
        NONE,
        /** The node is restarting to link; a page that reads this reads the node about to stop. */
        LINKING,
        /** The node came back as the new device. */
        LINKED,
        /** The link failed; the node came back as the fresh node it was. */
        FAILED;

        /** The state's name in the API, lower case. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final LinkThisStatus NONE = new LinkThisStatus(State.NONE, "");
    public static final LinkThisStatus LINKING = new LinkThisStatus(State.LINKING, "");
    public static final LinkThisStatus LINKED = new LinkThisStatus(State.LINKED, "");

    public LinkThisStatus {
        Objects.requireNonNull(state);
        Objects.requireNonNull(message);
    }

    public static LinkThisStatus failed(String message) {
        return new LinkThisStatus(State.FAILED, message);
    }
}
