package org.parley.chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.session.ChatCryptoException;
import org.parley.chat.session.InMemoryChatStores;
import org.parley.chat.session.PrekeyService;
import org.parley.chat.session.SessionManager;
import org.parley.chat.wire.ChatAck;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.chat.wire.PrekeyAnswer;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * The prekey and chat roles between two real hosts on loopback: Alice fetches Bob's bundle over
 * {@code /parley/prekeys/1.0.0}, starts a session and sends frames over {@code /parley/chat/1.0.0},
 * each acknowledged once Bob's sink has taken it.
 */
class ChatProtocolTest {

    private static final ConversationId CONVERSATION = new ConversationId(new byte[16]);

    private ChatHosts hosts;
    private Host aliceHost;
    private Host bobHost;
    private SessionManager alice;
    private SessionManager bob;
    private PrekeyService bobPrekeys;
    private final List<ChatEnvelope> bobReceived = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        hosts = new ChatHosts();
        aliceHost = hosts.host();
        bobHost = hosts.host();
        alice = new SessionManager(new InMemoryChatStores(IdentityKeyPair.generate(), 1, 1));
        bob = new SessionManager(new InMemoryChatStores(IdentityKeyPair.generate(), 2, 1));
        bobPrekeys = bob.prekeyService(Clock.systemUTC());
        bobHost.setHandler(PrekeyResponder.PROTOCOL_ID, new PrekeyResponder(
                (identity, requester) -> identity.equals(bob.self()) ? Optional.of(bobPrekeys.nextBundle()) : Optional.empty()));
        bobHost.setHandler(ChatReceiver.PROTOCOL_ID, new ChatReceiver((from, frame) -> {
            try {
                bobReceived.add(bob.decrypt(frame));
                return ChatAck.ok();
            } catch (ChatCryptoException e) {
                return ChatAck.rejected(e.getMessage());
            }
        }));
        ChatHosts.connect(aliceHost, bobHost);
    }

    @AfterEach
    void tearDown() {
        hosts.close();
    }

    private static ChatEnvelope text(int i) {
        return new ChatEnvelope(MessageId.next(), new HlcTimestamp(1_000 + i, 0), CONVERSATION, new ChatContent.Text("m" + i));
    }

    @Test
    void fetchesABundleStartsASessionAndDeliversFramesInOrderWithAnAckEach() throws Exception {
        PrekeyAnswer answer = PrekeyInitiator.fetch(aliceHost, bobHost.peerId(), bob.self());
        assertThat(answer).isInstanceOf(PrekeyAnswer.Bundle.class);
        ChatAddress bobAddress = alice.startSession(bob.self(), ((PrekeyAnswer.Bundle) answer).bundle());

        List<ChatEnvelope> sent = List.of(text(0), text(1), text(2), text(3), text(4));
        try (ChatSender sender = ChatSender.open(aliceHost, bobHost.peerId())) {
            for (ChatEnvelope e : sent) {
                assertThat(sender.send(alice.encrypt(bobAddress, e))).isEqualTo(ChatAck.ok());
            }
        }
        assertThat(bobReceived).containsExactlyElementsOf(sent);
    }

    @Test
    void onChat110TheReceiversReplyComesBackOnTheAckAndA100DialerIsAskedForNone() throws Exception {
        ChatAddress bobAddress = alice.startSession(bob.self(),
                ((PrekeyAnswer.Bundle) PrekeyInitiator.fetch(aliceHost, bobHost.peerId(), bob.self())).bundle());
        List<Boolean> asked = new CopyOnWriteArrayList<>();
        ChatReceiver replying = new ChatReceiver(new FrameSink() {
            @Override
            public ChatAck accept(PeerId from, ChatFrame frame) {
                throw new AssertionError("the receiver takes frames through acceptAll");
            }

            @Override
            public List<ChatAck> acceptAll(PeerId from, List<ChatFrame> frames, boolean replies) throws Exception {
                asked.add(replies);
                List<ChatAck> acks = new java.util.ArrayList<>();
                for (ChatFrame frame : frames) {
                    ChatEnvelope got = bob.decrypt(frame);
                    bobReceived.add(got);
                    acks.add(ChatAck.ok(replies ? Optional.of(bob.encrypt(new ChatAddress(alice.self(), 1),
                            new ChatEnvelope(MessageId.next(), got.timestamp(), CONVERSATION, new ChatContent.Receipt(
                                    ChatContent.ReceiptKind.DELIVERED, List.of(got.id()))))) : Optional.empty()));
                }
                return acks;
            }
        });
        bobHost.setHandler(ChatReceiver.PROTOCOL_ID, replying);
        bobHost.setHandler(ChatReceiver.PROTOCOL_WITH_REPLIES, replying);

        ChatEnvelope first = text(0);
        try (ChatSender sender = ChatSender.open(aliceHost, bobHost.peerId())) {
            assertThat(sender.takesReplies()).isTrue();
            ChatAck ack = sender.send(alice.encrypt(bobAddress, first));
            assertThat(ack.received()).isTrue();
            ChatEnvelope receipt = alice.decrypt(ack.reply().orElseThrow());
            assertThat(receipt.content()).isEqualTo(new ChatContent.Receipt(ChatContent.ReceiptKind.DELIVERED,
                    List.of(first.id())));
        }
        try (ChatSender old = new ChatSender(aliceHost.newStream(bobHost.peerId(), ChatSender.PROTOCOL_ID))) {
            assertThat(old.takesReplies()).isFalse();
            assertThat(old.send(alice.encrypt(bobAddress, text(1)))).isEqualTo(ChatAck.ok());
        }
        assertThat(asked).containsExactly(true, false);
        assertThat(bobReceived).hasSize(2);
    }

    @Test
    void framesWrittenAheadOfTheirAcksArePipelinedAndEachGetsItsOwnAckInOrder() throws Exception {
        ChatAddress bobAddress = alice.startSession(bob.self(),
                ((PrekeyAnswer.Bundle) PrekeyInitiator.fetch(aliceHost, bobHost.peerId(), bob.self())).bundle());
        List<ChatEnvelope> sent = new java.util.ArrayList<>();
        List<java.util.concurrent.CompletableFuture<ChatAck>> acks = new java.util.ArrayList<>();
        try (ChatSender sender = ChatSender.open(aliceHost, bobHost.peerId())) {
            for (int i = 0; i < 2 * ChatSender.WINDOW + 5; i++) {
                sent.add(text(i));
                acks.add(sender.submit(alice.encrypt(bobAddress, sent.getLast())));
            }
            ChatFrame replayed = alice.encrypt(bobAddress, text(999));
            acks.add(sender.submit(replayed));
            acks.add(sender.submit(replayed));
            for (int i = 0; i < acks.size() - 1; i++) {
                assertThat(ChatSender.await(acks.get(i))).as("ack %d", i).isEqualTo(ChatAck.ok());
            }
            assertThat(ChatSender.await(acks.getLast()).received()).as("the replay's own ack").isFalse();
        }
        assertThat(bobReceived.subList(0, sent.size())).containsExactlyElementsOf(sent);
    }

    @Test
    void whenTheStreamFailsEveryFrameStillAwaitingItsAckFails() throws Exception {
        Host slow = hosts.host();
        CountDownLatch release = new CountDownLatch(1);
        slow.setHandler(ChatReceiver.PROTOCOL_ID, new ChatReceiver((from, frame) -> {
            release.await(10, TimeUnit.SECONDS);
            return ChatAck.ok();
        }));
        ChatHosts.connect(aliceHost, slow);
        ChatFrame frame = new ChatFrame(alice.self(), 1, ChatFrame.CiphertextKind.WHISPER, new byte[] {1});
        try (ChatSender sender = new ChatSender(aliceHost.newStream(slow.peerId(), ChatSender.PROTOCOL_ID), Duration.ofMillis(300))) {
            List<java.util.concurrent.CompletableFuture<ChatAck>> acks = List.of(sender.submit(frame), sender.submit(frame),
                    sender.submit(frame));
            for (var ack : acks) {
                assertThatThrownBy(() -> ChatSender.await(ack)).isInstanceOf(ConnectionClosedException.class)
                        .hasMessageStartingWith("no chat ack from " + slow.peerId() + " within 300 ms");
            }
            assertThatThrownBy(() -> sender.submit(frame)).as("the stream is done with")
                    .isInstanceOf(ConnectionClosedException.class);
        } finally {
            release.countDown();
        }
    }

    @Test
    void unknownIdentityIsAnsweredAsSuch() throws Exception {
        UserId stranger = UserId.of(IdentityKeyPair.generate().getPublicKey());
        assertThat(PrekeyInitiator.fetch(aliceHost, bobHost.peerId(), stranger)).isInstanceOf(PrekeyAnswer.UnknownIdentity.class);
    }

    @Test
    void bundleOfAnotherIdentityThanAskedIsAPeerFault() throws Exception {
        Host mallory = hosts.host();
        SessionManager mallorySessions = new SessionManager(new InMemoryChatStores(IdentityKeyPair.generate(), 3, 1));
        PrekeyService malloryPrekeys = mallorySessions.prekeyService(Clock.systemUTC());
        mallory.setHandler(PrekeyResponder.PROTOCOL_ID, new PrekeyResponder((identity, requester) -> Optional.of(malloryPrekeys.nextBundle())));
        ChatHosts.connect(aliceHost, mallory);
        assertThatThrownBy(() -> PrekeyInitiator.fetch(aliceHost, mallory.peerId(), bob.self()))
                .isInstanceOf(PeerFaultException.class)
                .hasMessageContaining("is a bundle of " + mallorySessions.self() + ", not of the asked " + bob.self());
    }

    @Test
    void aReplayedFrameIsAckedAsRejectedWithTheReason() throws Exception {
        ChatAddress bobAddress = alice.startSession(bob.self(),
                ((PrekeyAnswer.Bundle) PrekeyInitiator.fetch(aliceHost, bobHost.peerId(), bob.self())).bundle());
        try (ChatSender sender = ChatSender.open(aliceHost, bobHost.peerId())) {
            sender.send(alice.encrypt(bobAddress, text(0)));
            ChatFrame second = alice.encrypt(bobAddress, text(1));
            assertThat(sender.send(second)).isEqualTo(ChatAck.ok());
            ChatAck again = sender.send(second);
            assertThat(again.received()).isFalse();
            assertThat(again.reason()).contains("was already received");
            assertThat(sender.send(alice.encrypt(bobAddress, text(2)))).isEqualTo(ChatAck.ok());
        }
        assertThat(bobReceived).hasSize(3);
    }

    @Test
    void anOversizedFrameResetsTheStreamBeforeTheReceiverAllocatesIt() throws Exception {
        Stream stream = aliceHost.newStream(bobHost.peerId(), ChatSender.PROTOCOL_ID);
        org.parley.libp2p.multiformats.Varint.write(Integer.MAX_VALUE, stream.out());
        stream.out().flush();
        assertThatThrownBy(() -> stream.in().read()).isInstanceOf(IOException.class);
        stream.close();
        assertThat(bobReceived).isEmpty();
    }

    @Test
    void aMalformedAckIsAPeerFault() throws Exception {
        Host liar = hosts.host();
        liar.setHandler(ChatReceiver.PROTOCOL_ID, stream -> {
            LengthPrefixed.read(stream.in(), 1 << 20);
            LengthPrefixed.write(stream.out(), new byte[] {0x08, 0x07});
            stream.out().flush();
        });
        ChatHosts.connect(aliceHost, liar);
        ChatFrame frame = new ChatFrame(alice.self(), 1, ChatFrame.CiphertextKind.WHISPER, new byte[] {1});
        try (ChatSender sender = ChatSender.open(aliceHost, liar.peerId())) {
            assertThatThrownBy(() -> sender.send(frame)).isInstanceOf(PeerFaultException.class)
                    .hasMessage("chat ack status 7 is unknown; expected 1 (received) or 2 (rejected)");
        }
    }

    @Test
    void noAckWithinTheTimeoutFailsTheSendAsClosed() throws Exception {
        Host slow = hosts.host();
        CountDownLatch release = new CountDownLatch(1);
        slow.setHandler(ChatReceiver.PROTOCOL_ID, new ChatReceiver((from, frame) -> {
            release.await(10, TimeUnit.SECONDS);
            return ChatAck.ok();
        }));
        ChatHosts.connect(aliceHost, slow);
        ChatFrame frame = new ChatFrame(alice.self(), 1, ChatFrame.CiphertextKind.WHISPER, new byte[] {1});
        try (ChatSender sender = new ChatSender(aliceHost.newStream(slow.peerId(), ChatSender.PROTOCOL_ID), Duration.ofMillis(300))) {
            assertThatThrownBy(() -> sender.send(frame)).isInstanceOf(ConnectionClosedException.class)
                    .hasMessageStartingWith("no chat ack from " + slow.peerId() + " within 300 ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void anIdleChatStreamIsClosedByTheReceiver() throws Exception {
        Host receiver = hosts.host();
        receiver.setHandler(ChatReceiver.PROTOCOL_ID, new ChatReceiver((from, frame) -> ChatAck.ok(), Duration.ofMillis(200)));
        ChatHosts.connect(aliceHost, receiver);
        Stream stream = aliceHost.newStream(receiver.peerId(), ChatSender.PROTOCOL_ID);
        // Nothing is sent: the receiver resets the stream when its idle timeout passes, which ends our read.
        assertThatThrownBy(() -> stream.in().read()).isInstanceOf(IOException.class);
        stream.close();
    }

    @Test
    void aPrekeyRequestThatNeverComesTimesOut() throws Exception {
        Host responder = hosts.host();
        responder.setHandler(PrekeyResponder.PROTOCOL_ID,
                new PrekeyResponder((identity, requester) -> Optional.empty(), Duration.ofMillis(200)));
        ChatHosts.connect(aliceHost, responder);
        Stream stream = aliceHost.newStream(responder.peerId(), PrekeyInitiator.PROTOCOL_ID);
        assertThatThrownBy(() -> stream.in().read()).isInstanceOf(IOException.class);
        stream.close();
    }

    @Test
    void aPrekeyAnswerThatNeverComesFailsTheFetchAsClosed() throws Exception {
        Host silent = hosts.host();
        CountDownLatch release = new CountDownLatch(1);
        silent.setHandler(PrekeyResponder.PROTOCOL_ID, stream -> release.await(10, TimeUnit.SECONDS));
        ChatHosts.connect(aliceHost, silent);
        Stream stream = aliceHost.newStream(silent.peerId(), PrekeyInitiator.PROTOCOL_ID);
        try {
            assertThatThrownBy(() -> PrekeyInitiator.fetch(stream, bob.self(), Duration.ofMillis(300)))
                    .isInstanceOf(ConnectionClosedException.class)
                    .hasMessageStartingWith("no prekey answer from " + silent.peerId() + " within 300 ms");
        } finally {
            release.countDown();
            stream.close();
        }
    }
}
