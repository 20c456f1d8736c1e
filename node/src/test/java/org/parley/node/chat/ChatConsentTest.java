package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatAck;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatFrame;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.events.EventSubscription;
import org.parley.node.events.NodeEvent;

/**
 * Consent on a whole node, pushed by peers that speak the chat protocols directly: a stranger's
 * texts are not stored, a flood of requests shows as one and the per-peer limit holds, a block
 * drops everything silently, declining keeps only the decision, and a frame that claims a
 * contact's ID with another key raises the key warning and holds sending until verify.
 */
class ChatConsentTest {

    @TempDir
    Path dirS;

    @TempDir
    Path dirB;

    private final ChatNodes nodes = new ChatNodes();
    private ParleyNode b;
    private UserId bob;
    private final List<NodeEvent> events = new CopyOnWriteArrayList<>();
    private EventSubscription subscription;

    @BeforeEach
    void start() throws Exception {
        nodes.startServer(dirS);
        b = nodes.start(dirB, 0);
        bob = b.userId().orElseThrow();
        subscription = b.events().subscribe("test", events::add);
    }

    @AfterEach
    void stop() {
        subscription.close();
        nodes.close();
    }

    @Test
    void aStrangersTextIsNotStoredAndTheirRequestIsShownWithItsIntro() throws Exception {
        try (Stranger mallory = new Stranger()) {
            mallory.startSession(b, bob);
            assertThat(mallory.send(b, bob, new ChatContent.Text("buy now")).received()).isTrue();
            assertThat(rows("chat_message")).isZero();
            assertThat(nodes.get(b, ApiPaths.REQUESTS).get("contacts")).isEmpty();

            assertThat(mallory.send(b, bob, new ChatContent.ContactRequest("hello, we met at the fair",
                    Optional.of("Mallory"))).received()).isTrue();
            JsonNode requests = nodes.get(b, ApiPaths.REQUESTS).get("contacts");
            assertThat(requests).hasSize(1);
            assertThat(requests.get(0).get("intro").asText()).isEqualTo("hello, we met at the fair");
            assertThat(requests.get(0).get("displayName").asText()).isEqualTo("Mallory");
            // Still not accepted: a text after the request is not kept either.
            mallory.send(b, bob, new ChatContent.Text("hello??"));
            assertThat(rows("chat_message")).isZero();
            // Events reach subscribers on the bus's own thread: wait for it, then count.
            ChatNodes.await("the request is told", () -> events.stream().anyMatch(e -> e instanceof NodeEvent.ContactRequest));
            assertThat(events).filteredOn(e -> e instanceof NodeEvent.ContactRequest).hasSize(1);
        }
    }

    @Test
    void aFloodOfRequestsFromOneSenderShowsAsOneAndOnePeerIsLimited() throws Exception {
        try (Stranger mallory = new Stranger()) {
            mallory.startSession(b, bob);
            for (int i = 0; i < 20; i++) {
                mallory.send(b, bob, new ChatContent.ContactRequest("please #" + i, Optional.empty()));
            }
            JsonNode requests = nodes.get(b, ApiPaths.REQUESTS).get("contacts");
            assertThat(requests).hasSize(1);
            assertThat(requests.get(0).get("intro").asText()).isEqualTo("please #0");
        }
        // One peer minting identities: each new sender is a new request until the peer's limit.
        try (Stranger first = new Stranger()) {
            Stranger[] senders = new Stranger[ChatInbox.REQUESTS_PER_PEER_PER_HOUR + 5];
            for (int i = 0; i < senders.length; i++) {
                senders[i] = new Stranger(org.signal.libsignal.protocol.IdentityKeyPair.generate(), first.host);
                senders[i].startSession(b, bob);
                senders[i].send(b, bob, new ChatContent.ContactRequest("sock puppet " + i, Optional.empty()));
            }
            assertThat(nodes.get(b, ApiPaths.REQUESTS).get("contacts")).hasSize(1 + ChatInbox.REQUESTS_PER_PEER_PER_HOUR);
        }
    }

    @Test
    void aBlockedSenderIsDroppedSilentlyAndDeclineKeepsOnlyTheDecision() throws Exception {
        try (Stranger mallory = new Stranger(); Stranger trudy = new Stranger()) {
            nodes.post(b, ApiPaths.CONTACTS_BLOCK, "contact", mallory.id.text());
            mallory.startSession(b, bob);
            ChatAck ack = mallory.send(b, bob, new ChatContent.ContactRequest("let me in", Optional.empty()));
            assertThat(ack.received()).as("a block is silent").isTrue();
            assertThat(nodes.get(b, ApiPaths.REQUESTS).get("contacts")).isEmpty();

            trudy.startSession(b, bob);
            trudy.send(b, bob, new ChatContent.ContactRequest("my secret intro", Optional.empty()));
            nodes.post(b, ApiPaths.CONTACTS_DECLINE, "contact", trudy.id.text());
            assertThat(nodes.get(b, ApiPaths.REQUESTS).get("contacts")).isEmpty();
            assertThat(introColumn(trudy.id)).isNull();
            trudy.send(b, bob, new ChatContent.ContactRequest("again", Optional.empty()));
            assertThat(nodes.get(b, ApiPaths.REQUESTS).get("contacts")).as("a declined sender is not asked again")
                    .isEmpty();

            nodes.post(b, ApiPaths.CONTACTS_UNBLOCK, "contact", mallory.id.text());
            mallory.send(b, bob, new ChatContent.ContactRequest("sorry", Optional.empty()));
            assertThat(nodes.get(b, ApiPaths.REQUESTS).get("contacts")).hasSize(1);
        }
    }

    @Test
    void unblockRestoresTheConsentTheBlockReplacedEvenWithoutAConversation() throws Exception {
        try (Stranger carol = new Stranger(); Stranger dave = new Stranger()) {
            carol.startSession(b, bob);
            carol.send(b, bob, new ChatContent.ContactRequest("hi, it is Carol", Optional.empty()));
            nodes.post(b, ApiPaths.CONTACTS_ACCEPT, "contact", carol.id.text());
            assertThat(rows("chat_message")).as("no message was exchanged").isZero();

            assertThat(nodes.post(b, ApiPaths.CONTACTS_BLOCK, "contact", carol.id.text()).get("state").asText())
                    .isEqualTo("blocked");
            carol.send(b, bob, new ChatContent.Text("while blocked"));
            assertThat(rows("chat_message")).isZero();
            assertThat(nodes.post(b, ApiPaths.CONTACTS_UNBLOCK, "contact", carol.id.text()).get("state").asText())
                    .as("an accepted contact is accepted again, not forgotten").isEqualTo("accepted");
            assertThat(carol.send(b, bob, new ChatContent.Text("after the unblock")).received()).isTrue();
            assertThat(rows("chat_message")).isEqualTo(1);

            // A pending request that was blocked is forgotten on unblock: the stranger may ask anew.
            dave.startSession(b, bob);
            dave.send(b, bob, new ChatContent.ContactRequest("hi, it is Dave", Optional.empty()));
            nodes.post(b, ApiPaths.CONTACTS_BLOCK, "contact", dave.id.text());
            nodes.post(b, ApiPaths.CONTACTS_UNBLOCK, "contact", dave.id.text());
            assertThat(nodes.get(b, ApiPaths.CONTACTS).get("contacts")).extracting(c -> c.get("userId").asText())
                    .containsExactly(carol.id.text());
        }
    }

    @Test
    void aDisplayNameTwoSendersShareNamesNeither() throws Exception {
        try (Stranger alice = new Stranger(); Stranger impostor = new Stranger()) {
            alice.startSession(b, bob);
            alice.send(b, bob, new ChatContent.ContactRequest("hi", Optional.of("Alice")));
            assertThat(nodes.post(b, ApiPaths.CONTACTS_ACCEPT, "contact", "Alice").get("userId").asText())
                    .isEqualTo(alice.id.text());
            String digits = nodes.post(b, ApiPaths.SAFETY_NUMBER, "contact", "Alice").get("digits").asText();
            assertThat(digits).isEqualTo(org.parley.chat.session.SafetyNumber.between(alice.id, bob).digits());
            HttpResponse<String> qr = nodes.getRaw(b, ApiPaths.SAFETY_NUMBER_QR + "?contact=" + alice.id.text());
            assertThat(org.parley.node.api.QrSvgTest.decode(qr.body())).isEqualTo(digits);
            impostor.startSession(b, bob);
            impostor.send(b, bob, new ChatContent.ContactRequest("it is me", Optional.of("Alice")));
            HttpResponse<String> ambiguous = nodes.postRaw(b, ApiPaths.MESSAGES, "contact", "Alice", "text", "hi");
            assertThat(ambiguous.statusCode()).isEqualTo(400);
            assertThat(ambiguous.body()).contains("give the user ID instead");
        }
    }

    @Test
    void sendingToSomeoneWhoHasNotAcceptedOrToAnUnknownOrMistypedIdIsRefusedWithAMessage() throws Exception {
        try (Stranger alice = new Stranger()) {
            nodes.post(b, ApiPaths.CONTACTS, "contact", alice.id.text(), "name", "alice");
            HttpResponse<String> notAccepted = nodes.postRaw(b, ApiPaths.MESSAGES, "contact", "alice", "text", "hi");
            assertThat(notAccepted.statusCode()).isEqualTo(400);
            assertThat(notAccepted.body()).contains("has not accepted your contact request yet");

            HttpResponse<String> unknown = nodes.postRaw(b, ApiPaths.MESSAGES, "contact", "carol", "text", "hi");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("no contact is named 'carol'");

            String typo = alice.id.text().substring(0, 20) + (alice.id.text().charAt(20) == 'q' ? 'p' : 'q')
                    + alice.id.text().substring(21);
            HttpResponse<String> mistyped = nodes.postRaw(b, ApiPaths.CONTACTS, "contact", typo);
            assertThat(mistyped.statusCode()).isEqualTo(400);
            assertThat(mistyped.body()).contains("typo");
        }
    }

    @Test
    void aFrameClaimingAContactsIdWithAnotherKeyWarnsAndHoldsSendingUntilVerified() throws Exception {
        try (Stranger alice = new Stranger(); Stranger mallory = new Stranger()) {
            alice.startSession(b, bob);
            alice.send(b, bob, new ChatContent.ContactRequest("hi", Optional.of("Alice")));
            nodes.post(b, ApiPaths.CONTACTS_ACCEPT, "contact", alice.id.text());

            mallory.startSession(b, bob);
            ChatFrame real = mallory.frame(bob, new ChatContent.Text("it is me, Alice"));
            ChatFrame forged = new ChatFrame(alice.id, 1, real.kind(), real.ciphertext());
            assertThat(mallory.sendFrame(b, forged).received()).isFalse();

            JsonNode contact = nodes.get(b, ApiPaths.CONTACTS).get("contacts").get(0);
            assertThat(contact.get("keyWarning").asBoolean()).isTrue();
            ChatNodes.await("the key change is told",
                    () -> events.stream().anyMatch(e -> e instanceof NodeEvent.ContactKeyChanged));
            assertThat(events).filteredOn(e -> e instanceof NodeEvent.ContactKeyChanged).hasSize(1);
            assertThat(rows("chat_message")).isZero();

            nodes.post(b, ApiPaths.MESSAGES, "contact", alice.id.text(), "text", "are you there?");
            ChatNodes.await("the outbox looked at the held message", () -> lastError().startsWith("held:"));
            assertThat(state(alice.id)).isEqualTo("pending");

            JsonNode verified = nodes.post(b, ApiPaths.CONTACTS_VERIFY, "contact", alice.id.text());
            assertThat(verified.get("keyWarning").asBoolean()).isFalse();
            assertThat(verified.get("verified").asBoolean()).isTrue();
        }
    }

    private String state(UserId contact) throws Exception {
        return nodes.post(b, ApiPaths.HISTORY, "contact", contact.text()).get("messages").get(0).get("state").asText();
    }

    private String lastError() {
        try {
            return b.storage().database().read(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT coalesce(last_error, '') FROM chat_outbox"
                        + " ORDER BY id DESC LIMIT 1"); ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getString(1) : "";
                }
            });
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private int rows(String table) throws Exception {
        return b.storage().database().read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + table); ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        });
    }

    private byte[] introColumn(UserId user) throws Exception {
        return b.storage().database().read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT intro FROM contact WHERE user_id = ?")) {
                s.setString(1, user.text());
                try (ResultSet r = s.executeQuery()) {
                    assertThat(r.next()).isTrue();
                    return r.getBytes(1);
                }
            }
        });
    }
}
