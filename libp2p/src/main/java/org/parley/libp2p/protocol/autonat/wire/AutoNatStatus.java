package org.parley.libp2p.protocol.autonat.wire;

/** The answer codes of an AutoNAT v1 dial-back, with their wire numbers. */
public enum AutoNatStatus {
    /** The server dialed us back at the address it names. */
    OK(0),
    /** The server tried and could not reach any of our addresses. */
    E_DIAL_ERROR(100),
    /** The server would not try (throttled, or no address it may dial). */
    E_DIAL_REFUSED(101),
    E_BAD_REQUEST(200),
    E_INTERNAL_ERROR(300);

    private final int code;

    AutoNatStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The status with this number, or null for one the spec does not define. */
    public static AutoNatStatus fromCode(int code) {
        for (AutoNatStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        return null;
    }
}
