package org.parley.chat.group;

/** A group operation was refused: it changes nothing, and the reason says which rule it broke. */
public final class GroupOpRejectedException extends Exception {

    /** Which rule. */
    public enum Reason {
        /** The signature is not the author's. */
        BAD_SIGNATURE,
        /** The author is not an admin, and only admins change membership, name and roles. */
        NOT_ADMIN,
        /** The author is not (or no longer) a member. */
        NOT_MEMBER,
        /** The operation does not follow the head of the chain this member holds. */
        WRONG_PREVIOUS,
        /** A concurrent operation on the same previous one won (it has the lower hash); rebase on it. */
        LOST_FORK,
        /** This operation is already in the chain. */
        REPLAYED,
        /** It makes no sense in the current state: adding a member twice, removing a non-member, a second create. */
        INVALID
    }

    private final Reason reason;

    public GroupOpRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
