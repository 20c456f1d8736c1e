package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.group.GroupEngine;
import org.parley.chat.group.GroupText;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.chat.GroupStore.Membership;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.storage.NodeStorage;
import org.parley.node.storage.PassphraseSource;
import org.signal.libsignal.protocol.IdentityKeyPair;

class GroupStoreTest {

    @TempDir
    Path dir;

    private NodeStorage open() throws Exception {
        return NodeStorage.open(dir.resolve("storage.key"), dir.resolve("parley.db"), PassphraseSource.of(null));
    }

    @Test
    void chainsMembershipsAndMessagesComeBackAfterAReopenSealed() throws Exception {
        ConversationId group = ConversationId.random();
        UserId ann = UserId.of(IdentityKeyPair.generate().getPublicKey());
        UserId bob = UserId.of(IdentityKeyPair.generate().getPublicKey());
        byte[] op1 = "operation one: the group is called secret-circle".getBytes(StandardCharsets.UTF_8);
        byte[] op2 = "operation two".getBytes(StandardCharsets.UTF_8);
        GroupText late = new GroupText(group, bob, MessageId.next(), new HlcTimestamp(2000, 0), "second by time");
        GroupText early = new GroupText(group, ann, MessageId.next(), new HlcTimestamp(1000, 0), "first by time");
        GroupText tie = new GroupText(group, bob, MessageId.next(), new HlcTimestamp(1000, 0), "tie, later sender");
        GroupEngine.Waiting waitingOld = new GroupEngine.Waiting(new ChatAddress(ann, 1), new ChatContent.GroupMessage(
                group, ann, 1, ChatContent.GroupPayloadKind.CIPHERTEXT, "older".getBytes(StandardCharsets.UTF_8)));
        GroupEngine.Waiting waitingNew = new GroupEngine.Waiting(new ChatAddress(ann, 2), new ChatContent.GroupMessage(
                group, bob, 3, ChatContent.GroupPayloadKind.CIPHERTEXT,
                "waiting-ciphertext".getBytes(StandardCharsets.UTF_8), List.of(ann)));
        long identity;
        try (NodeStorage storage = open()) {
            identity = new LocalIdentities(storage.database(), storage.cipher())
                    .create(IdentityKeyPair.generate(), 1, Optional.empty(), Instant.EPOCH).rowId();
            GroupStore store = new GroupStore(storage.database(), storage.cipher());
            store.saveChain(identity, group, List.of(op1));
            store.saveChain(identity, group, List.of(op1, op2));
            store.setMembership(identity, group, Membership.INVITED);
            store.setMembership(identity, group, Membership.JOINED);
            assertThat(store.addMessage(identity, late, false)).isTrue();
            assertThat(store.addMessage(identity, early, true)).isTrue();
            assertThat(store.addMessage(identity, tie, false)).isTrue();
            assertThat(store.addMessage(identity, late, false)).as("a duplicate by id").isFalse();
            store.saveWaiting(identity, List.of(waitingOld, waitingNew));
            store.saveWaiting(identity, List.of(waitingNew));
        }
        try (NodeStorage storage = open()) {
            GroupStore store = new GroupStore(storage.database(), storage.cipher());
            assertThat(store.chains(identity).get(group)).containsExactly(op1, op2);
            assertThat(store.membership(identity, group)).contains(Membership.JOINED);
            List<GroupText> all = store.history(identity, group, 10);
            List<GroupText> expected = java.util.stream.Stream.of(late, early, tie).sorted(GroupText.ORDER).toList();
            assertThat(all).isEqualTo(expected);
            assertThat(all.getFirst().text()).isEqualTo(ann.text().compareTo(bob.text()) < 0 ? "first by time"
                    : "tie, later sender");
            assertThat(store.history(identity, group, 1)).containsExactly(late);
            List<GroupEngine.Waiting> waiting = store.waiting(identity);
            assertThat(waiting).hasSize(1);
            assertThat(waiting.getFirst().from()).isEqualTo(waitingNew.from());
            assertThat(waiting.getFirst().message().group()).isEqualTo(group);
            assertThat(waiting.getFirst().message().origin()).isEqualTo(bob);
            assertThat(waiting.getFirst().message().relayTo()).containsExactly(ann);
            assertThat(waiting.getFirst().message().payload()).isEqualTo(waitingNew.message().payload());
            store.saveWaiting(identity, List.of());
            assertThat(store.waiting(identity)).isEmpty();
        }
        for (String plain : List.of("secret-circle", "second by time", "first by time", "waiting-ciphertext")) {
            for (Path file : List.of(dir.resolve("parley.db"))) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(content).as(plain + " in " + file).doesNotContain(plain);
            }
        }
    }

    @Test
    void receivedMessagesCountUnreadUntilMarkedReadUpToOneAndTheCountSurvivesAReopen() throws Exception {
        ConversationId group = ConversationId.random();
        ConversationId quiet = ConversationId.random();
        UserId bob = UserId.of(IdentityKeyPair.generate().getPublicKey());
        UserId self = UserId.of(IdentityKeyPair.generate().getPublicKey());
        GroupText first = new GroupText(group, bob, MessageId.next(), new HlcTimestamp(1000, 0), "one");
        GroupText mine = new GroupText(group, self, MessageId.next(), new HlcTimestamp(1500, 0), "mine");
        GroupText second = new GroupText(group, bob, MessageId.next(), new HlcTimestamp(2000, 0), "two");
        GroupText third = new GroupText(group, bob, MessageId.next(), new HlcTimestamp(3000, 0), "three");
        GroupText elsewhere = new GroupText(quiet, bob, MessageId.next(), new HlcTimestamp(500, 0), "other group");
        long identity;
        try (NodeStorage storage = open()) {
            identity = new LocalIdentities(storage.database(), storage.cipher())
                    .create(IdentityKeyPair.generate(), 1, Optional.empty(), Instant.EPOCH).rowId();
            GroupStore store = new GroupStore(storage.database(), storage.cipher());
            store.addMessage(identity, first, false);
            store.addMessage(identity, mine, true);
            store.addMessage(identity, second, false);
            store.addMessage(identity, third, false);
            store.addMessage(identity, elsewhere, false);
            assertThat(store.unreadCounts(identity)).as("our own message is never unread")
                    .isEqualTo(java.util.Map.of(group, 3, quiet, 1));

            assertThat(store.markReadUpTo(identity, group, second.id())).contains(2);
            assertThat(store.markReadUpTo(identity, group, second.id())).as("again: nothing left").contains(0);
            assertThat(store.markReadUpTo(identity, group, elsewhere.id())).as("a message of another group").isEmpty();
            assertThat(store.markReadUpTo(identity, group, MessageId.next())).isEmpty();
        }
        try (NodeStorage storage = open()) {
            GroupStore store = new GroupStore(storage.database(), storage.cipher());
            assertThat(store.unreadCounts(identity)).isEqualTo(java.util.Map.of(group, 1, quiet, 1));
            assertThat(store.markReadUpTo(identity, group, third.id())).contains(1);
            assertThat(store.unreadCounts(identity)).isEqualTo(java.util.Map.of(quiet, 1));
        }
    }
}
