package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.contacts.Contact;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.contacts.ContactState;

/**
 * Contact changes another device of this user journaled, taken in by a whole node with its
 * database, newest first whatever order they arrive in: a change older than the removal of the
 * contact does not bring it back, nor does one older than a change made here; a newer one applies;
 * a change from a device that kept no time applies as it did before times were kept; of two
 * changes at the same reading the same one wins in either order; a late copy of a request the user
 * removed (here or on another device) is dropped, a new request shows.
 */
class ContactClockTest {

    @TempDir
    Path root;

    private final DeviceNodes nodes = new DeviceNodes();
    private final AliceAndBob talk = new AliceAndBob(nodes);
    private ParleyNode alice;
    private ChatHistory history;
    private UserId aliceId;
    private UserId carol;
    /** A reading a minute ago, so that every reading here is in the past of the node's own clock. */
    private long base;

    @BeforeEach
    void start() throws Exception {
        nodes.startServer(root.resolve("server"));
        alice = nodes.start(root.resolve("a1"));
        history = nodes.chatHistory(alice);
        aliceId = alice.userId().orElseThrow();
        carol = someone();
        base = System.currentTimeMillis() - 60_000;
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aChangeOlderThanTheRemovalDoesNotBringTheContactBack() throws Exception {
        assertThat(history.importContact(change(false, ContactState.ACCEPTED, Optional.of(at(100))))).isTrue();
        assertThat(state()).isEqualTo("accepted");
        assertThat(history.importContact(change(true, ContactState.DECLINED, Optional.of(at(300))))).isTrue();
        assertThat(state()).isEqualTo("none");

        // Another device's "accepted" from before the removal, arriving after it.
        assertThat(history.importContact(change(false, ContactState.ACCEPTED, Optional.of(at(200))))).isFalse();
        assertThat(state()).isEqualTo("none");

        // A request after the removal is newer: it shows.
        assertThat(history.importContact(change(false, ContactState.PENDING, Optional.of(at(400))))).isTrue();
        assertThat(state()).isEqualTo("pending");
    }

    @Test
    void aRemovalArrivingBeforeTheContactIsKeptAndAnOlderChangeFindsIt() throws Exception {
        assertThat(history.importContact(change(true, ContactState.DECLINED, Optional.of(at(300))))).isFalse();

        assertThat(history.importContact(change(false, ContactState.ACCEPTED, Optional.of(at(200))))).isFalse();
        assertThat(state()).isEqualTo("none");
    }

    @Test
    void aChangeOlderThanOneMadeHereIsNotApplied() throws Exception {
        assertThat(history.importContact(change(false, ContactState.ACCEPTED, Optional.of(at(100))))).isTrue();
        // Made here after taking in that change: its time follows the imported one.
        nodes.chat.post(alice, ApiPaths.CONTACTS_BLOCK, "contact", carol.text());
        assertThat(state()).isEqualTo("blocked");

        assertThat(history.importContact(change(false, ContactState.ACCEPTED, Optional.of(at(50))))).isFalse();
        assertThat(state()).isEqualTo("blocked");
        assertThat(history.importContact(change(true, ContactState.DECLINED, Optional.of(at(99))))).isFalse();
        assertThat(state()).isEqualTo("blocked");
    }

    @Test
    void aChangeWithoutATimeAppliesAsBefore() throws Exception {
        assertThat(history.importContact(change(false, ContactState.ACCEPTED, Optional.of(at(100))))).isTrue();

        assertThat(history.importContact(change(false, ContactState.DECLINED, Optional.empty()))).isTrue();
        assertThat(state()).isEqualTo("declined");
    }

    @Test
    void aLateCopyOfARequestRemovedOnAnotherDeviceIsDroppedAndANewRequestShows() throws Exception {
        MessageId asked = MessageId.next();
        // Another device of Alice's took Carol's request, then Alice removed Carol there. Nothing to
        // forget here; the removal's reading and the request it was after are kept all the same.
        assertThat(history.importContact(change(true, ContactState.DECLINED, Optional.of(at(300)), Optional.of(asked))))
                .isFalse();
        ChatRuntime runtime = nodes.chatRuntime(alice);

        assertThat(runtime.putRequest(request(), at(100), asked)).as("the late copy").isFalse();
        assertThat(state()).isEqualTo("none");
        // Carol asks again, with a clock that runs behind: a new request, which shows.
        assertThat(runtime.putRequest(request(), at(200), MessageId.next())).as("a new request").isTrue();
        assertThat(state()).isEqualTo("pending");
    }

    @Test
    void aRemovalHereKeepsTheRequestItWasAfterAndDropsItsCopies() throws Exception {
        ChatRuntime runtime = nodes.chatRuntime(alice);
        MessageId asked = MessageId.next();
        assertThat(runtime.putRequest(request(), at(100), asked)).isTrue();
        assertThat(state()).isEqualTo("pending");

        runtime.deleteContact(identityRow(), carol);

        assertThat(runtime.contactReading(identityRow(), carol).flatMap(ContactClock.Reading::request)).as("what the removal's entry tells").contains(asked);
        assertThat(runtime.putRequest(request(), at(100), asked)).as("a copy arriving again").isFalse();
        assertThat(state()).isEqualTo("none");
    }

    @Test
    void twoChangesAtTheSameReadingEndAlikeInEitherOrder() throws Exception {
        // Two devices of Alice's changed Carol at the same reading: one accepted her, the other
        // blocked her. Each takes in the other's change after its own, and both must end alike.
        assertThat(history.importContact(change(false, ContactState.ACCEPTED, Optional.of(at(100))))).isTrue();
        assertThat(history.importContact(change(false, ContactState.BLOCKED, Optional.of(at(100)))))
                .as("the more restrictive change, second").isTrue();
        assertThat(state()).isEqualTo("blocked");

        carol = someone(); // the other device's order, on a contact of its own
        assertThat(history.importContact(change(false, ContactState.BLOCKED, Optional.of(at(100))))).isTrue();
        assertThat(history.importContact(change(false, ContactState.ACCEPTED, Optional.of(at(100)))))
                .as("the less restrictive change, second").isFalse();
        assertThat(state()).isEqualTo("blocked");
    }

    @Test
    void aRemovalAndAChangeAtTheSameReadingEndInTheRemovalInEitherOrder() throws Exception {
        assertThat(history.importContact(change(false, ContactState.ACCEPTED, Optional.of(at(100))))).isTrue();
        assertThat(history.importContact(change(true, ContactState.DECLINED, Optional.of(at(100))))).isTrue();
        assertThat(state()).isEqualTo("none");

        carol = someone();
        assertThat(history.importContact(change(true, ContactState.DECLINED, Optional.of(at(100))))).isFalse();
        assertThat(history.importContact(change(false, ContactState.ACCEPTED, Optional.of(at(100))))).isFalse();
        assertThat(state()).isEqualTo("none");
    }

    /** A new user id, for a contact of Alice's. */
    private static UserId someone() {
        byte[] key = new byte[UserId.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return UserId.fromPublicKeyBytes(key);
    }

    /** Carol's contact request as the inbox keeps one. */
    private Contact request() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        return new Contact(identityRow(), carol, Optional.empty(), Optional.of("Carol"), ContactState.PENDING,
                Optional.of("hi, it is Carol"), false, false, java.util.List.of(), Optional.empty(),
                java.util.OptionalInt.empty(), ChatRuntime.conversation(aliceId, carol), now, now);
    }

    private long identityRow() {
        return nodes.chatRuntime(alice).identities.all().getFirst().rowId();
    }

    private HlcTimestamp at(long millisAfterBase) {
        return new HlcTimestamp(base + millisAfterBase, 0);
    }

    private ChatHistory.ContactChange change(boolean removed, ContactState state, Optional<HlcTimestamp> at) {
        return change(removed, state, at, Optional.empty());
    }

    private ChatHistory.ContactChange change(boolean removed, ContactState state, Optional<HlcTimestamp> at,
            Optional<MessageId> request) {
        return new ChatHistory.ContactChange(aliceId, carol, removed, state, Optional.empty(), Optional.empty(),
                Optional.empty(), at, request);
    }

    private String state() {
        return talk.contactState(alice, carol.text());
    }
}
