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
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.contacts.ContactState;

/**
 * Contact changes another device of this user journaled, taken in by a whole node with its
 * database, newest first whatever order they arrive in: a change older than the removal of the
 * contact does not bring it back, nor does one older than a change made here; a newer one applies;
 * a change from a device that kept no time applies as it did before times were kept.
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
        byte[] key = new byte[UserId.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        carol = UserId.fromPublicKeyBytes(key);
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

    private HlcTimestamp at(long millisAfterBase) {
        return new HlcTimestamp(base + millisAfterBase, 0);
    }

    private ChatHistory.ContactChange change(boolean removed, ContactState state, Optional<HlcTimestamp> at) {
        return new ChatHistory.ContactChange(aliceId, carol, removed, state, Optional.empty(), Optional.empty(),
                Optional.empty(), at);
    }

    private String state() {
        return talk.contactState(alice, carol.text());
    }
}
