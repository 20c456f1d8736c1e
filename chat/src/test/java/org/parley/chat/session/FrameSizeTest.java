package org.parley.chat.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.ChatFrameCodec;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;

/** The frame limits hold real libsignal output: the largest envelope as a first (prekey) message fits. */
class FrameSizeTest {

    @Test
    void largestEnvelopeAsAFirstMessageFitsTheFrameLimit() throws Exception {
        Party alice = Party.create(InMemoryChatStoresTest.FACTORY, 1);
        Party bob = Party.create(InMemoryChatStoresTest.FACTORY, 1);
        alice.startSessionWith(bob);
        ChatEnvelope largest = new ChatEnvelope(MessageId.next(), new HlcTimestamp(HlcTimestamp.MAX_PHYSICAL_MILLIS,
                HlcTimestamp.MAX_COUNTER), Party.CONVERSATION, new ChatContent.Text("\uffff".repeat(ChatContent.MAX_TEXT_BYTES / 3)));
        ChatFrame frame = alice.sessions.encrypt(bob.address(), largest);
        assertThat(frame.kind()).isEqualTo(ChatFrame.CiphertextKind.PREKEY);
        assertThat(frame.ciphertext().length).isLessThanOrEqualTo(ChatFrame.MAX_CIPHERTEXT_BYTES);
        byte[] encoded = ChatFrameCodec.encode(frame);
        assertThat(encoded.length).isLessThanOrEqualTo(ChatFrameCodec.MAX_FRAME_BYTES);
        assertThat(bob.sessions.decrypt(ChatFrameCodec.decode(encoded))).isEqualTo(largest);
    }
}
