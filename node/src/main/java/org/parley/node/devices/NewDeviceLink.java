package org.parley.node.devices;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.parley.chat.identity.InvalidUserIdException;
import org.parley.chat.identity.UserId;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Host;
import org.parley.chat.wire.ConversationId;
import org.parley.node.chat.ChatConversations;
import org.parley.node.chat.GroupChains;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;
import org.parley.node.contacts.ContactStore;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.StorageException;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this node a new device of an existing user (what {@code --link CODE} runs at start,
 * before chat): runs the link exchange, checks the grant (the device list is signed by the
 * granted identity key and names this device with the granted number), then stores the identity
 * under its own device number (a fresh registration id, prekeys and sessions follow), the history
 * key, the device list and the contacts. Stateless.
 */
public final class NewDeviceLink {

    private static final Logger log = LoggerFactory.getLogger(NewDeviceLink.class);

    private NewDeviceLink() {}

    /**
     * Links this node through {@code codeText}.
     *
     * @return the identity now held
     * @throws LinkException with a message for the user: a malformed, wrong, expired or used code,
     *     an unreachable device, or a data dir that already holds an identity
     */
    public static LocalIdentity link(String codeText, Host host, LocalIdentities identities, DeviceStore store,
            ContactStore contacts, GroupChains groups, InstantSource clock) throws LinkException {
        LinkCode code = LinkCode.parse(codeText);
        try {
            if (!identities.all().isEmpty()) {
                throw new LinkException(LinkException.Reason.WRONG, "this data dir holds an identity already: link"
                        + " into a new data dir (--data-dir DIR) instead");
            }
        } catch (StorageException e) {
            throw new LinkException(LinkException.Reason.UNREACHABLE, "cannot read this node's database: "
                    + e.getMessage());
        }
        LinkGrant grant = LinkInitiator.exchange(host, code);
        try {
            return adopt(grant, host, identities, store, contacts, groups, clock.instant());
        } catch (StorageException e) {
            throw new LinkException(LinkException.Reason.UNREACHABLE, "the link succeeded but this node could not"
                    + " store it: " + e.getMessage());
        }
    }

    static LocalIdentity adopt(LinkGrant grant, Host host, LocalIdentities identities, DeviceStore store,
            ContactStore contacts, GroupChains groups, Instant now) throws LinkException, StorageException {
        IdentityKeyPair keyPair;
        SignedDeviceList list;
        try {
            keyPair = new IdentityKeyPair(grant.identityKeyPair());
            list = SignedDeviceList.decode(grant.deviceList());
        } catch (PeerFaultException | org.signal.libsignal.protocol.InvalidKeyException | RuntimeException e) {
            throw broken("its grant does not parse");
        }
        if (!list.verify(keyPair.getPublicKey())) {
            throw broken("its device list is not signed by the granted identity");
        }
        if (!list.list().device(host.peerId()).map(d -> d.number() == grant.deviceNumber()).orElse(false)) {
            throw broken("its device list does not name this device as number " + grant.deviceNumber());
        }
        LocalIdentity identity = identities.create(keyPair, grant.deviceNumber(),
                Optional.ofNullable(grant.displayName()), now);
        store.putList(identity.rowId(), list);
        store.putHistoryKey(identity.rowId(), grant.historyKeyGeneration(), grant.historyKey(), now);
        int skipped = 0;
        for (LinkGrant.LinkedContact c : grant.contacts()) {
            Optional<Contact> contact = contact(identity, c, now);
            if (contact.isPresent()) {
                contacts.put(contact.get());
            } else {
                skipped++;
            }
        }
        int refused = adoptGroups(grant, identity, groups);
        log.info("linked as device {} of {}: {} contacts ({} unreadable, skipped), {} groups ({} refused)",
                grant.deviceNumber(), identity.userId(), grant.contacts().size() - skipped, skipped,
                grant.groups().size() - refused, refused);
        return identity;
    }

    /**
     * Keeps each granted group whose chain replays as a member would replay it; one that does not
     * is skipped (and logged), as an unreadable contact is: the rest of the link still stands.
     *
     * @return how many were refused
     */
    private static int adoptGroups(LinkGrant grant, LocalIdentity identity, GroupChains groups)
            throws StorageException {
        int refused = 0;
        for (LinkGrant.LinkedGroup g : grant.groups()) {
            try {
                ConversationId id = new ConversationId(java.util.HexFormat.of().parseHex(g.id()));
                groups.adopt(identity.rowId(), identity.userId(), new GroupChains.Chain(id, g.membership(), g.ops()));
            } catch (IllegalArgumentException e) {
                refused++;
                log.warn("a granted group is skipped: {}", e.getMessage());
            }
        }
        return refused;
    }

    private static Optional<Contact> contact(LocalIdentity identity, LinkGrant.LinkedContact c, Instant now) {
        try {
            UserId user = UserId.parse(c.userId());
            ContactState state = ContactState.ofWireName(c.state());
            return Optional.of(new Contact(identity.rowId(), user, Optional.ofNullable(c.name()),
                    Optional.ofNullable(c.displayName()), state, Optional.empty(), c.verified(), false,
                    DeviceService.hints(c.hints()), Optional.ofNullable(c.peerId()), DeviceService.device(c.device()),
                    ChatConversations.of(identity.userId(), user), now, now));
        } catch (InvalidUserIdException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static LinkException broken(String what) {
        return new LinkException(LinkException.Reason.UNREACHABLE, "the device that made this code sent what this"
                + " device cannot use (" + what + "): update both devices and make a new code");
    }
}
