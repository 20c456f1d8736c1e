package org.parley.node.devices;

/**
 * Linking a new device failed in a way the person linking it must act on: the message says what
 * happened and what to do next (make a new code, check the copy, bring the other device online).
 * Carries no stack trace. Immutable.
 */
public final class LinkException extends Exception {

    /** Why the link failed; the existing device sends these as refusal reasons. */
    public enum Reason {
        /** The text is not a link code at all (a character missing or changed). */
        MALFORMED(0),
        /** The code does not match any the existing device made, or the secret is wrong. */
        WRONG(1),
        /** The code is older than {@link LinkCodes#LIFETIME}. */
        EXPIRED(2),
        /** The code was used already; each works once. */
        USED(3),
        /** The existing device could not be reached, or broke the link protocol. */
        UNREACHABLE(4);

        private final int wire;

        Reason(int wire) {
            this.wire = wire;
        }

        /** The reason's byte in a refusal. */
        public int wire() {
            return wire;
        }

        /** The reason a refusal's byte names, or empty for a byte no version of Parley sends. */
        static java.util.Optional<Reason> ofWire(int value) {
            for (Reason r : values()) {
                if (r.wire == value) {
                    return java.util.Optional.of(r);
                }
            }
            return java.util.Optional.empty();
        }
    }

    private final Reason reason;

    public LinkException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The message the new device shows for a refusal of {@code reason} by the existing device. */
    static String explain(Reason reason) {
        return switch (reason) {
            case MALFORMED -> "this is not a link code: a character is missing or changed; copy the whole code"
                    + " that 'parley devices link' printed on your other device";
            case WRONG -> "the other device does not accept this link code: check that you copied all of it,"
                    + " or make a new one with 'parley devices link' on your other device";
            case EXPIRED -> "this link code expired (a code lasts " + LinkCodes.LIFETIME.toMinutes()
                    + " minutes): make a new one with 'parley devices link' on your other device";
            case USED -> "this link code was used already (each code works once): make a new one with"
                    + " 'parley devices link' on your other device";
            case UNREACHABLE -> "the device that made this link code cannot be reached: start it, keep it"
                    + " online, and try again";
        };
    }
}
