package org.parley.chat.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.ChatFrameCodec;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * What length leaks: the frames of text messages of 1 to 1,000 characters, as they go on the
 * wire through a real session (ratchet counters past one varint byte included), take at most 4
 * distinct lengths, though libsignal's ciphertexts alone take more.
 */
class WireLengthTest {

    /** The promise of the padding: an observer of the link tells at most this many sizes apart. */
    private static final int MAX_DISTINCT_LENGTHS = 4;

    @Test
    void framesOfTextsOfOneToAThousandCharactersTakeAtMostFourLengths() throws Exception {
        SessionManager alice = new SessionManager(new InMemoryChatStores(IdentityKeyPair.generate(), 1, 1));
        SessionManager bob = new SessionManager(new InMemoryChatStores(IdentityKeyPair.generate(), 2, 1));
        ChatAddress toBob = alice.startSession(bob.self(), bob.prekeyService(Clock.systemUTC()).nextBundle());
        ChatAddress toAlice = new ChatAddress(alice.self(), 1);
        ConversationId conversation = ConversationId.random();
        // Bob answers once, so Alice's session is confirmed and her frames are ordinary (not prekey) messages.
        bob.decrypt(alice.encrypt(toBob, text(conversation, "hello")));
        alice.decrypt(bob.encrypt(toAlice, text(conversation, "hi")));

        Set<Integer> frames = new TreeSet<>();
        Set<Integer> ciphertexts = new TreeSet<>();
        for (String unit : new String[] {"a", "é", "語"}) {
            for (int length = 1; length <= 1_000; length++) {
                ChatFrame frame = alice.encrypt(toBob, text(conversation, unit.repeat(length)));
                assertThat(frame.kind()).isEqualTo(ChatFrame.CiphertextKind.WHISPER);
                frames.add(ChatFrameCodec.encode(frame).length);
                ciphertexts.add(frame.ciphertext().length);
                assertThat(((ChatContent.Text) bob.decrypt(frame).content()).text()).hasSize(length);
            }
        }
        assertThat(frames).as("frame lengths on the wire: %s", frames).hasSizeLessThanOrEqualTo(MAX_DISTINCT_LENGTHS);
        // libsignal's own message moves by a byte or two with its counters; the frame's padding hides that.
        assertThat(ciphertexts.size()).as("ciphertext lengths: %s", ciphertexts).isGreaterThan(frames.size());
    }

    @Test
    void aCoverEnvelopeGoesOutAsLongAsAShortText() throws Exception {
        SessionManager alice = new SessionManager(new InMemoryChatStores(IdentityKeyPair.generate(), 1, 1));
        SessionManager bob = new SessionManager(new InMemoryChatStores(IdentityKeyPair.generate(), 2, 1));
        ChatAddress toBob = alice.startSession(bob.self(), bob.prekeyService(Clock.systemUTC()).nextBundle());
        ConversationId conversation = ConversationId.random();
        bob.decrypt(alice.encrypt(toBob, text(conversation, "hello")));
        alice.decrypt(bob.encrypt(new ChatAddress(alice.self(), 1), text(conversation, "hi")));

        ChatFrame text = alice.encrypt(toBob, text(conversation, "see you at 6?"));
        ChatFrame cover = alice.encrypt(toBob, new ChatEnvelope(MessageId.next(),
                new HlcTimestamp(System.currentTimeMillis(), 0), conversation, new ChatContent.Cover()));
        assertThat(ChatFrameCodec.encode(cover)).hasSameSizeAs(ChatFrameCodec.encode(text));
        assertThat(cover.kind()).isEqualTo(text.kind());
        bob.decrypt(text);
        assertThat(bob.decrypt(cover).content()).isEqualTo(new ChatContent.Cover());
    }

    private static ChatEnvelope text(ConversationId conversation, String text) {
        return new ChatEnvelope(MessageId.next(), new HlcTimestamp(System.currentTimeMillis(), 0), conversation,
                new ChatContent.Text(text));
    }
}
