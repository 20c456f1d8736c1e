package org.parley.node.contacts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * One contact of one local identity: their user ID, the local name we gave them and the display
 * name they gave, the consent state, their request's intro while it is pending, whether we
 * verified their safety number, whether a different identity key was presented for them (which
 * holds automatic sending), their invite's address hints, the device we last reached, and the
 * conversation id. Immutable.
 */
public record Contact(long identityRow, UserId userId, Optional<String> name, Optional<String> displayName,
        ContactState state, Optional<String> intro, boolean verified, boolean keyWarning, List<Multiaddr> hints,
        Optional<String> peerId, OptionalInt device, ConversationId conversation, Instant createdAt,
        Instant updatedAt) {

    public Contact {
        hints = List.copyOf(hints);
    }

    /** What the user sees this contact as: the local name, else their display name, else the ID. */
    public String label() {
        return name.or(() -> displayName).orElse(userId.text());
    }

    public Contact withState(ContactState newState, Instant now) {
        return new Contact(identityRow, userId, name, displayName, newState, newState == ContactState.PENDING ? intro
                : Optional.empty(), verified, keyWarning, hints, peerId, device, conversation, createdAt, now);
    }

    public Contact withName(Optional<String> newName, Instant now) {
        return new Contact(identityRow, userId, newName, displayName, state, intro, verified, keyWarning, hints, peerId,
                device, conversation, createdAt, now);
    }

    public Contact withVerified(boolean value, boolean warning, Instant now) {
        return new Contact(identityRow, userId, name, displayName, state, intro, value, warning, hints, peerId, device,
                conversation, createdAt, now);
    }

    public Contact withDevice(String peer, int deviceNumber, Instant now) {
        return new Contact(identityRow, userId, name, displayName, state, intro, verified, keyWarning, hints,
                Optional.of(peer), OptionalInt.of(deviceNumber), conversation, createdAt, now);
    }
}
