package org.parley.node.chat;

import java.util.function.Consumer;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;

/**
 * Keeps the connection manager from trimming an accepted contact's device: a node that a crowd of
 * strangers fills up must still hold its conversations. Called with every contact row written, and
 * with every row at start. Protection is not withdrawn when a contact is blocked or declined: the
 * host keeps one protected set, which bootstrap peers share, so it only ever grows here. Thread
 * safe.
 */
final class ContactProtection implements Consumer<Contact> {

    private final Host host;

    ContactProtection(Host host) {
        this.host = host;
    }

    @Override
    public void accept(Contact contact) {
        if (contact.state() == ContactState.ACCEPTED) {
            contact.peerId().map(PeerId::parse).ifPresent(host::protect);
        }
    }
}
