package org.parley.chat.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.Padding;

/**
 * The promises of pairwise chat, shown through the stores under test (each store implementation
 * runs this suite by extending it): only the recipient reads, tampering is detected, loss and
 * reordering are survived, replays are refused, a stolen copy of the state neither opens what came
 * before nor (after a ratchet round trip) what comes after, and a changed identity key is reported
 * as such.
 */
public abstract class ChatSessionContract {

    /** The stores under test. */
    protected abstract ChatStoresFactory factory();

    private Party alice;
    private Party bob;

    @BeforeEach
    public void setUp() throws Exception {
        alice = Party.create(factory(), 1);
        bob = Party.create(factory(), 1);
        alice.startSessionWith(bob);
    }

    @Test
    public void recipientDecryptsWhatWasSentAndRepliesInTheSameSession() throws Exception {
        ChatEnvelope hello = Party.text("hello bob");
        ChatFrame frame = alice.sessions.encrypt(bob.address(), hello);
        assertThat(frame.kind()).isEqualTo(ChatFrame.CiphertextKind.PREKEY);
        assertThat(frame.sender()).isEqualTo(alice.id());
        assertThat(bob.sessions.decrypt(frame)).isEqualTo(hello);

        ChatFrame reply = bob.sessions.encrypt(alice.address(), Party.text("hi alice"));
        assertThat(reply.kind()).isEqualTo(ChatFrame.CiphertextKind.WHISPER);
        assertThat(Party.textOf(alice.sessions.decrypt(reply))).isEqualTo("hi alice");
        ChatFrame next = alice.sessions.encrypt(bob.address(), Party.text("after reply"));
        assertThat(next.kind()).isEqualTo(ChatFrame.CiphertextKind.WHISPER);
        assertThat(Party.textOf(bob.sessions.decrypt(next))).isEqualTo("after reply");
    }

    @Test
    public void onlyTheIntendedRecipientCanDecrypt() throws Exception {
        Party carol = Party.create(factory(), 1);
        ChatFrame toBob = alice.sessions.encrypt(bob.address(), Party.text("for bob only"));

        // Carol has no session with Alice: the first message names prekeys that are Bob's, not hers.
        assertThatThrownBy(() -> carol.sessions.decrypt(toBob)).isInstanceOf(InvalidChatMessageException.class);

        // Even with her own session with Alice, Carol cannot read Alice's messages to Bob.
        alice.startSessionWith(carol);
        carol.sessions.decrypt(alice.sessions.encrypt(carol.address(), Party.text("for carol")));
        bob.sessions.decrypt(toBob);
        ChatFrame laterToBob = alice.sessions.encrypt(bob.address(), Party.text("still for bob only"));
        assertThatThrownBy(() -> carol.sessions.decrypt(laterToBob)).isInstanceOf(InvalidChatMessageException.class);
        assertThat(Party.textOf(bob.sessions.decrypt(laterToBob))).isEqualTo("still for bob only");
    }

    @Test
    public void ciphertextLengthRevealsOnlyThePaddingBucket() throws Exception {
        bob.sessions.decrypt(alice.sessions.encrypt(bob.address(), Party.text("start")));
        int shortLength = alice.sessions.encrypt(bob.address(), Party.text("a")).ciphertext().length;
        int longerLength = alice.sessions.encrypt(bob.address(), Party.text("a".repeat(150))).ciphertext().length;
        int nextBucket = alice.sessions.encrypt(bob.address(), Party.text("a".repeat(300))).ciphertext().length;
        assertThat(longerLength).isEqualTo(shortLength);
        assertThat(nextBucket - shortLength).isEqualTo(Padding.BUCKETS[1] - Padding.BUCKETS[0]);
    }

    /** One round trip, after which Alice sends WHISPER messages, which the MAC covers in full. */
    private void establish() throws Exception {
        bob.sessions.decrypt(alice.sessions.encrypt(bob.address(), Party.text("start")));
        alice.sessions.decrypt(bob.sessions.encrypt(alice.address(), Party.text("ack")));
    }

    private static ChatFrame flipped(ChatFrame frame, int index, int bit) {
        byte[] ciphertext = frame.ciphertext();
        ciphertext[index] ^= (byte) (1 << bit);
        return new ChatFrame(frame.sender(), frame.senderDevice(), frame.kind(), ciphertext);
    }

    @Test
    public void tamperedBodyIsRejectedAndTheSessionStillWorks() throws Exception {
        establish();
        ChatFrame frame = alice.sessions.encrypt(bob.address(), Party.text("pay 10"));
        assertThat(frame.kind()).isEqualTo(ChatFrame.CiphertextKind.WHISPER);
        int length = frame.ciphertext().length;
        // The AES-CBC body ends 8 bytes before the end, where the truncated MAC starts.
        for (int i = length - 60; i < length; i++) {
            ChatFrame tampered = flipped(frame, i, i % 8);
            assertThatThrownBy(() -> bob.sessions.decrypt(tampered)).as("byte %d of %d flipped", i, length)
                    .isInstanceOf(InvalidChatMessageException.class);
        }
        assertThat(Party.textOf(bob.sessions.decrypt(frame))).isEqualTo("pay 10");
    }

    @Test
    public void tamperedHeaderIsRejected() throws Exception {
        establish();
        ChatFrame frame = alice.sessions.encrypt(bob.address(), Party.text("header"));
        // Byte 0 is the version; the protobuf header follows: ratchet key (field 1), counter (field 2),
        // previous counter (field 3), then the body. The MAC covers all of it.
        for (int i = 0; i < 60; i++) {
            ChatFrame tampered = flipped(frame, i, i % 8);
            assertThatThrownBy(() -> bob.sessions.decrypt(tampered)).as("byte %d flipped", i)
                    .isInstanceOf(ChatCryptoException.class)
                    .isNotInstanceOf(IdentityKeyChangedException.class)
                    .isNotInstanceOf(ReplayedMessageException.class);
        }
        assertThat(Party.textOf(bob.sessions.decrypt(frame))).isEqualTo("header");
    }

    @Test
    public void tamperedFirstMessageIsRejected() throws Exception {
        ChatFrame first = alice.sessions.encrypt(bob.address(), Party.text("first"));
        byte[] ciphertext = first.ciphertext();
        ciphertext[ciphertext.length - 3] ^= 0x10;
        ChatFrame tampered = new ChatFrame(first.sender(), first.senderDevice(), first.kind(), ciphertext);
        assertThatThrownBy(() -> bob.sessions.decrypt(tampered)).isInstanceOf(InvalidChatMessageException.class);
        assertThat(bob.sessions.hasSession(alice.address())).isFalse();
        assertThat(Party.textOf(bob.sessions.decrypt(first))).isEqualTo("first");
    }

    @Test
    public void outOfOrderDeliveryAndLossAreSurvived() throws Exception {
        List<ChatFrame> frames = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            frames.add(alice.sessions.encrypt(bob.address(), Party.text("m" + i)));
        }
        // 0 first (it starts the session), then out of order, 4 and 7 lost.
        for (int i : new int[] {0, 5, 2, 9, 1, 3, 8, 6}) {
            assertThat(Party.textOf(bob.sessions.decrypt(frames.get(i)))).isEqualTo("m" + i);
        }
        // Across a ratchet step too: Bob answers, Alice's new chain arrives before her old chain's last message.
        alice.sessions.decrypt(bob.sessions.encrypt(alice.address(), Party.text("reply")));
        ChatFrame newChain = alice.sessions.encrypt(bob.address(), Party.text("new chain"));
        assertThat(Party.textOf(bob.sessions.decrypt(newChain))).isEqualTo("new chain");
        assertThat(Party.textOf(bob.sessions.decrypt(frames.get(4)))).isEqualTo("m4");
    }

    @Test
    public void replayIsRejected() throws Exception {
        ChatFrame first = alice.sessions.encrypt(bob.address(), Party.text("once"));
        bob.sessions.decrypt(first);
        ChatFrame second = alice.sessions.encrypt(bob.address(), Party.text("twice?"));
        bob.sessions.decrypt(second);

        assertThatThrownBy(() -> bob.sessions.decrypt(second)).isInstanceOf(ReplayedMessageException.class);
        // The first message's one-time keys are gone: replaying it cannot start a second session either.
        assertThatThrownBy(() -> bob.sessions.decrypt(first)).isInstanceOf(ChatCryptoException.class)
                .isNotInstanceOf(IdentityKeyChangedException.class);
        // A replay of a skipped-then-delivered message too.
        ChatFrame a = alice.sessions.encrypt(bob.address(), Party.text("a"));
        ChatFrame b = alice.sessions.encrypt(bob.address(), Party.text("b"));
        bob.sessions.decrypt(b);
        bob.sessions.decrypt(a);
        assertThatThrownBy(() -> bob.sessions.decrypt(a)).isInstanceOf(ReplayedMessageException.class);
    }

    @Test
    public void snapshotTakenBeforeARatchetStepCannotDecryptLaterMessages() throws Exception {
        bob.sessions.decrypt(alice.sessions.encrypt(bob.address(), Party.text("start")));
        Party stolen = bob.copy();

        // Ratchet round trip: Bob answers (new ratchet key), Alice answers that.
        alice.sessions.decrypt(bob.sessions.encrypt(alice.address(), Party.text("bob's step")));
        bob.sessions.decrypt(alice.sessions.encrypt(bob.address(), Party.text("alice's step")));
        alice.sessions.decrypt(bob.sessions.encrypt(alice.address(), Party.text("bob's second step")));
        ChatFrame later = alice.sessions.encrypt(bob.address(), Party.text("later secret"));

        assertThatThrownBy(() -> stolen.sessions.decrypt(later)).isInstanceOf(InvalidChatMessageException.class);
        assertThat(Party.textOf(bob.sessions.decrypt(later))).isEqualTo("later secret");
    }

    @Test
    public void snapshotCannotDecryptMessagesReceivedBeforeIt() throws Exception {
        ChatFrame first = alice.sessions.encrypt(bob.address(), Party.text("old secret 1"));
        ChatFrame second = alice.sessions.encrypt(bob.address(), Party.text("old secret 2"));
        bob.sessions.decrypt(first);
        bob.sessions.decrypt(second);
        Party stolen = bob.copy();

        assertThatThrownBy(() -> stolen.sessions.decrypt(second)).isInstanceOf(ReplayedMessageException.class);
        assertThatThrownBy(() -> stolen.sessions.decrypt(first)).isInstanceOf(ChatCryptoException.class);
    }

    @Test
    public void attackerWithACopyOfTheStateStopsDecryptingAfterTheNextRatchetRoundTrip() throws Exception {
        bob.sessions.decrypt(alice.sessions.encrypt(bob.address(), Party.text("start")));
        alice.sessions.decrypt(bob.sessions.encrypt(alice.address(), Party.text("ack")));
        Party attacker = bob.copy();

        // A passive attacker who sees every frame Alice sends reads the current chain...
        ChatFrame current = alice.sessions.encrypt(bob.address(), Party.text("compromised"));
        assertThat(Party.textOf(attacker.sessions.decrypt(current))).isEqualTo("compromised");
        assertThat(Party.textOf(bob.sessions.decrypt(current))).isEqualTo("compromised");

        // ...until Bob's fresh ratchet key (randomness the attacker never saw) is answered by Alice.
        ChatFrame bobStep = bob.sessions.encrypt(alice.address(), Party.text("bob steps"));
        alice.sessions.decrypt(bobStep);
        ChatFrame healed = alice.sessions.encrypt(bob.address(), Party.text("healed"));
        assertThatThrownBy(() -> attacker.sessions.decrypt(healed)).isInstanceOf(InvalidChatMessageException.class);
        assertThat(Party.textOf(bob.sessions.decrypt(healed))).isEqualTo("healed");
    }

    @Test
    public void messageFromSomeoneClaimingAnotherUsersIdIsReportedAsAChangedIdentityKey() throws Exception {
        bob.sessions.decrypt(alice.sessions.encrypt(bob.address(), Party.text("hello")));
        // Mallory starts her own session with Bob, then sends her first message in a frame that claims Alice's ID.
        Party mallory = Party.create(factory(), 1);
        mallory.startSessionWith(bob);
        ChatFrame real = mallory.sessions.encrypt(bob.address(), Party.text("it's me, alice"));
        ChatFrame forged = new ChatFrame(alice.id(), 1, real.kind(), real.ciphertext());

        assertThatThrownBy(() -> bob.sessions.decrypt(forged))
                .isInstanceOfSatisfying(IdentityKeyChangedException.class,
                        e -> assertThat(e.user()).isEqualTo(alice.id()))
                .hasMessageContaining("is not the one on record for " + alice.id().text());
    }

    @Test
    public void bundleWithAnotherIdentityKeyIsReportedAsAChangedIdentityKey() throws Exception {
        Party mallory = Party.create(factory(), 1);
        assertThatThrownBy(() -> alice.sessions.startSession(bob.id(), mallory.prekeys.nextBundle()))
                .isInstanceOfSatisfying(IdentityKeyChangedException.class, e -> assertThat(e.user()).isEqualTo(bob.id()));
    }

    @Test
    public void bundleWithABadSignatureIsRejected() throws Exception {
        var good = bob.prekeys.nextBundle();
        byte[] signature = good.signedPrekeySignature();
        signature[5] ^= 1;
        var forged = new org.parley.chat.wire.PrekeyBundleMessage(good.registrationId(), good.deviceId(), good.identity(),
                good.signedPrekeyId(), good.signedPrekey(), signature, good.oneTimePrekeyId(), good.oneTimePrekey(),
                good.kyberPrekeyId(), good.kyberPrekey(), good.kyberPrekeySignature());
        Party carol = Party.create(factory(), 1);
        assertThatThrownBy(() -> carol.sessions.startSession(bob.id(), forged))
                .isInstanceOf(InvalidPrekeyBundleException.class);
    }

    @Test
    public void withoutASessionEncryptingAndDecryptingSayWhatIsMissing() throws Exception {
        Party carol = Party.create(factory(), 2);
        assertThatThrownBy(() -> carol.sessions.encrypt(bob.address(), Party.text("x")))
                .isInstanceOf(NoChatSessionException.class)
                .hasMessage("no chat session with " + bob.address() + ": fetch its prekey bundle first");
        bob.sessions.decrypt(alice.sessions.encrypt(bob.address(), Party.text("start")));
        ChatFrame whisper = bob.sessions.encrypt(alice.address(), Party.text("whisper"));
        assertThatThrownBy(() -> carol.sessions.decrypt(new ChatFrame(bob.id(), 1, whisper.kind(), whisper.ciphertext())))
                .isInstanceOf(NoChatSessionException.class);
    }

    @Test
    public void devicesNumberedUpToTheLimitHaveSessions() throws Exception {
        Party phone = Party.create(factory(), org.parley.chat.wire.ChatFrame.MAX_DEVICE_ID);
        alice.startSessionWith(phone);
        ChatFrame frame = alice.sessions.encrypt(phone.address(), Party.text("to device 127"));
        assertThat(Party.textOf(phone.sessions.decrypt(frame))).isEqualTo("to device 127");
        ChatFrame back = phone.sessions.encrypt(alice.address(), Party.text("from device 127"));
        assertThat(back.senderDevice()).isEqualTo(127);
        assertThat(Party.textOf(alice.sessions.decrypt(back))).isEqualTo("from device 127");
    }
}
