package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.files.crypto.FileKey;
import org.parley.files.link.FileLink;
import org.parley.files.manifest.FileId;

/** How texts and file offers are kept in a message's body, and that texts kept before file offers read as they did. */
class MessageBodyTest {

    private static ChatEnvelope envelope(ChatContent content) {
        return new ChatEnvelope(MessageId.next(), new HlcTimestamp(1, 0), new ConversationId(new byte[16]), content);
    }

    @Test
    void aTextIsItsUtf8AndReadsBackAsText() {
        byte[] body = MessageBody.encode(envelope(new ChatContent.Text("héllo")), "héllo");
        assertThat(body).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(MessageBody.decode(body)).isEqualTo(new StoredMessage.Body("héllo", Optional.empty()));
        assertThat(MessageBody.decode(new byte[0])).isEqualTo(new StoredMessage.Body("", Optional.empty()));
    }

    @Test
    void aFileOfferKeepsItsLinkAndReadsBackWithTheFileName() {
        FileId id = FileId.ofManifest(new byte[] {1, 2, 3});
        String link = new FileLink(id, "plan ü.pdf", 1234, List.of(), FileKey.generate()).toUri();
        byte[] body = MessageBody.encode(envelope(new ChatContent.FileOffer(link)), "plan ü.pdf");
        assertThat(body[0]).isEqualTo((byte) 0xFF);
        assertThat(MessageBody.decode(body)).isEqualTo(new StoredMessage.Body("plan ü.pdf", Optional.of(link)));
        assertThat(MessageBody.isMessage(new ChatContent.FileOffer(link))).isTrue();
        assertThat(MessageBody.isMessage(new ChatContent.ContactResponse(true))).isFalse();
    }
}
