package org.parley.node.chat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Optional;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;

/**
 * When each contact's consent or name last changed (the {@code contact_clock} table), so that this
 * user's devices apply each other's contact changes newest first: a change another device
 * journaled takes effect here only if it is newer than what this device holds. A removal keeps its
 * reading, so a change made before it, arriving later from another device, cannot bring the
 * contact back.
 *
 * <p>Why: each device journals a contact as it is when its journal writer gets to it. A device
 * that took in "accepted" from another device journaled its own earlier change of that contact as
 * "accepted" too, and when that reached the first device after the user had removed the contact
 * there, the removed contact came back on both (DeviceJournalTest, with the journal writer's
 * changes gathered for 100 ms).
 *
 * <p>Readings: a contact request is stamped with the time its sender made it, so every device that
 * receives the same request stamps it alike; a decision the user makes (accept, decline, block,
 * rename, remove) with its device's hybrid logical clock, past the contact's last reading, so it
 * wins over what it decides about; an imported change with the reading it came with, which also
 * moves this device's clock forward. Two devices' readings are equal only if both changed the
 * contact in the same millisecond with the same counter; both then keep the change that
 * {@link Outcome} ranks first (the more restrictive one), so they agree. A request
 * that arrives after the contact's removal here and is not newer than it is stamped just after the
 * removal: a sender whose clock runs behind may ask again after being removed, and that request
 * shows, as it did before readings were kept. What tells such a request from a late copy of the
 * one the user removed (which the clock cannot) is its envelope id: each row keeps the id of the
 * last request known from the contact, through its removal and across devices (it travels in the
 * contact's journal entry), and a request with that id after the removal is dropped. Called
 * inside the caller's transaction.
 */
final class ContactClock {

    private ContactClock() {}

    /**
     * Records that the contact of {@code identity} changed (or was removed) at {@code time}; the
     * row says which, for whoever reads the table, though only the time decides.
     */
    static void set(Connection c, long identity, UserId contact, HlcTimestamp time, boolean removed) throws SQLException {
        set(c, identity, contact, time, removed, Optional.empty());
    }

    /**
     * As {@link #set(Connection, long, UserId, HlcTimestamp, boolean)}, and records {@code request}
     * as the last request known from the contact; an empty one keeps the id the row holds.
     */
    static void set(Connection c, long identity, UserId contact, HlcTimestamp time, boolean removed,
            Optional<MessageId> request) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO contact_clock (identity_id, user_id, hlc_millis,"
                + " hlc_counter, removed, request_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (identity_id, user_id) DO"
                + " UPDATE SET hlc_millis = excluded.hlc_millis, hlc_counter = excluded.hlc_counter,"
                + " removed = excluded.removed, request_id = coalesce(excluded.request_id, contact_clock.request_id)")) {
            upsert.setLong(1, identity);
            upsert.setString(2, contact.text());
            upsert.setLong(3, time.physicalMillis());
            upsert.setInt(4, time.counter());
            upsert.setInt(5, removed ? 1 : 0);
            upsert.setBytes(6, request.map(MessageId::bytes).orElse(null));
            upsert.executeUpdate();
        }
    }

    /**
     * A contact's row: when it last changed here, whether that change was its removal, and the id
     * of the last contact request known from it.
     */
    record Reading(HlcTimestamp time, boolean removed, Optional<MessageId> request) {

        /** Whether the contact was removed after asking with {@code id}: a copy of that request is one the user dealt with. */
        boolean removedAfter(MessageId id) {
            return removed && request.filter(id::equals).isPresent();
        }
    }

    /** The contact's row; empty if none was recorded (it changed before readings were kept). */
    static Optional<Reading> read(Connection c, long identity, UserId contact) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT hlc_millis, hlc_counter, removed, request_id"
                + " FROM contact_clock WHERE identity_id = ? AND user_id = ?")) {
            select.setLong(1, identity);
            select.setString(2, contact.text());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                byte[] request = row.getBytes(4);
                return Optional.of(new Reading(new HlcTimestamp(row.getLong(1), row.getInt(2)), row.getInt(3) == 1,
                        request == null || request.length != MessageId.BYTES ? Optional.empty()
                                : Optional.of(new MessageId(request))));
            }
        }
    }

    /** When the contact last changed here; empty if that was never recorded. */
    static Optional<HlcTimestamp> get(Connection c, long identity, UserId contact) throws SQLException {
        return read(c, identity, contact).map(Reading::time);
    }

    /**
     * Whether a change made at {@code time} on another device is newer than this device's last
     * change of the contact, and so takes effect; a change without a reading (from a device that
     * kept none) always does, as before readings were kept.
     */
    static boolean newer(Optional<HlcTimestamp> time, Optional<HlcTimestamp> here) {
        return time.isEmpty() || here.isEmpty() || time.get().compareTo(here.get()) > 0;
    }

    /**
     * Whether a change another device made at {@code time}, leaving {@code incoming}, takes effect
     * over this device's last change (at {@code here}, which left {@code current}): a newer one does
     * ({@link #newer}); one with the same reading does if it ranks first, so that two devices that
     * changed the contact at the same reading both keep the same change whichever order they see
     * them in.
     */
    static boolean takesEffect(Optional<HlcTimestamp> time, Optional<HlcTimestamp> here, Outcome incoming,
            Outcome current) {
        if (newer(time, here)) {
            return true;
        }
        return time.get().compareTo(here.get()) == 0 && Outcome.TIE_ORDER.compare(incoming, current) > 0;
    }

    /**
     * What a change leaves of a contact: its removal, or its state and name. Between two changes at
     * the same reading the more restrictive wins (removed, then blocked, declined, pending,
     * requested, accepted), since wrongly keeping someone out is mended by a click, wrongly letting
     * them in is not; at the same state, the greater name.
     */
    record Outcome(boolean removed, Optional<ContactState> state, Optional<String> name) {

        static final Comparator<Outcome> TIE_ORDER = Comparator.comparing(Outcome::removed)
                .thenComparingInt(Outcome::restriction)
                .thenComparing(o -> o.name().orElse(""));

        /** The removal of the contact (or no contact at all). */
        static Outcome removal() {
            return new Outcome(true, Optional.empty(), Optional.empty());
        }

        /** What {@code contact} shows, or the removal if there is none. */
        static Outcome of(Contact contact) {
            return contact == null ? removal() : new Outcome(false, Optional.of(contact.state()), contact.name());
        }

        private int restriction() {
            return state.map(s -> switch (s) {
                case ACCEPTED -> 0;
                case REQUESTED -> 1;
                case PENDING -> 2;
                case DECLINED -> 3;
                case BLOCKED -> 4;
            }).orElse(5);
        }
    }
}
