package org.parley.node.chat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.files.link.FileLink;
import org.parley.files.link.InvalidFileLinkException;

/**
 * How a kept message's body is laid out before its column is sealed: a text message is its UTF-8
 * text; a file offer is the byte {@code 0xFF}, which UTF-8 never contains, then the link. So texts
 * kept before file offers existed read as they did.
 */
final class MessageBody {

    private static final byte FILE_OFFER = (byte) 0xFF;

    private MessageBody() {}

    /** Whether envelopes with this content are messages a user sees (kept, with a state), not control. */
    static boolean isMessage(ChatContent content) {
        return content instanceof ChatContent.Text || content instanceof ChatContent.FileOffer;
    }

    /** The body of {@code envelope}: the link of a file offer, else {@code text}. */
    static byte[] encode(ChatEnvelope envelope, String text) {
        if (envelope.content() instanceof ChatContent.FileOffer offer) {
            byte[] link = offer.link().getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[link.length + 1];
            body[0] = FILE_OFFER;
            System.arraycopy(link, 0, body, 1, link.length);
            return body;
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A message's text and, for a file offer, its link; the text of a file offer is the file's name. */
    static StoredMessage.Body decode(byte[] body) {
        if (body.length > 0 && body[0] == FILE_OFFER) {
            String link = new String(Arrays.copyOfRange(body, 1, body.length), StandardCharsets.UTF_8);
            return new StoredMessage.Body(nameOf(link), Optional.of(link));
        }
        return new StoredMessage.Body(new String(body, StandardCharsets.UTF_8), Optional.empty());
    }

    /** The file name a link gives, or "" if it is not a link (it was checked before it was kept). */
    static String nameOf(String link) {
        try {
            return FileLink.parse(link).name();
        } catch (InvalidFileLinkException e) {
            return "";
        }
    }
}
