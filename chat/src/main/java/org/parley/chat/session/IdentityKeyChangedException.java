package org.parley.chat.session;

import org.parley.chat.identity.UserId;

/**
 * A peer presented an identity key other than the one we hold (or the one its user ID names)
 * for a contact's device: the contact reinstalled, or someone is impersonating them.
 */
public final class IdentityKeyChangedException extends ChatCryptoException {

    private final ChatAddress address;

    public IdentityKeyChangedException(ChatAddress address, Throwable cause) {
        super("the identity key presented for " + address + " is not the one on record for " + address.user()
                + "; the contact's key may have changed, or someone else is posing as them", cause);
        this.address = address;
    }

    public ChatAddress address() {
        return address;
    }

    /** The user whose key changed. */
    public UserId user() {
        return address.user();
    }
}
