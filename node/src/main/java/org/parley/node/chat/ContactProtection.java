package org.parley.node.chat;

import java.util.function.Consumer;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;

/**
 * Keeps the connection manager from trimming an accepted contact's device: a node that a crowd of
 * strangers fills up must still hold its conversations. Called with every contact row written, and
 * with every row at start. A contact that is no longer accepted (blocked, declined, removed) loses
 * the protection this identity gave it; the host counts protections by reason, so a peer that is
 * also a bootstrap peer, a relay or another identity's contact stays protected. Thread safe.
 */
final class ContactProtection implements Consumer<Contact> {

    private final Host host;

    ContactProtection(Host host) {
        this.host = host;
    }

    @Override
    public void accept(Contact contact) {
        contact.peerId().map(PeerId::parse).ifPresent(peer -> {
            if (contact.state() == ContactState.ACCEPTED) {
                host.protect(peer, tag(contact));
            } else {
                host.unprotect(peer, tag(contact));
            }
        });
    }

    /** Called when a contact row is deleted. */
    void removed(Contact contact) {
        contact.peerId().map(PeerId::parse).ifPresent(peer -> host.unprotect(peer, tag(contact)));
    }

    /** One reason per identity: two identities of this node may have the same contact. */
    private static String tag(Contact contact) {
        return "contact/" + contact.identityRow();
    }
}
