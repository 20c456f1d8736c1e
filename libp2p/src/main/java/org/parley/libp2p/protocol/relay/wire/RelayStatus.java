package org.parley.libp2p.protocol.relay.wire;

/** The status codes of circuit relay v2 answers (circuit-v2.md), with their wire numbers. */
public enum RelayStatus {
    OK(100),
    RESERVATION_REFUSED(200),
    RESOURCE_LIMIT_EXCEEDED(201),
    PERMISSION_DENIED(202),
    CONNECTION_FAILED(203),
    NO_RESERVATION(204),
    MALFORMED_MESSAGE(400),
    UNEXPECTED_MESSAGE(401);

    private final int code;

    RelayStatus(int code) {
        this.code = code;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** The status with this wire number, or null for one the spec does not define (including 0, UNUSED). */
    public static RelayStatus fromCode(int code) {
        for (RelayStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        return null;
    }
}
