package org.parley.node.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.events.NodeEvent;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat's side of the history this user's devices share: tells a listener (history sync) of
 * every one-to-one text message this device keeps, and keeps the messages another device of the
 * user kept, once each (by message id). Thread safe.
 */
public final class ChatHistory {

    private static final Logger log = LoggerFactory.getLogger(ChatHistory.class);

    /**
     * Messages kept before a listener is set (the chat feature starts before history sync, and a
     * message can arrive in between): held until it listens. A node that runs without history
     * sync holds no more than this many, then drops the oldest.
     */
    static final int MAX_PENDING = 10_000;

    /** One text message a device kept, as its siblings take it over. Never logged: no text in {@link #toString()}. */
    public record KeptMessage(UserId identity, UserId contact, MessageId id, ConversationId conversation,
            HlcTimestamp time, boolean outgoing, String text, MessageState state) {
        @Override
        public String toString() {
            return "KeptMessage[id=" + id + ", outgoing=" + outgoing + ", state=" + state + "]";
        }
    }

    /** Told of each message this device keeps, on the thread that kept it. */
    @FunctionalInterface
    public interface Listener {
        void kept(KeptMessage message);
    }

    private final ChatRuntime runtime;
    private final List<KeptMessage> pending = new ArrayList<>();
    private Listener listener;

    ChatHistory(ChatRuntime runtime) {
        this.runtime = runtime;
    }

    /** Sets the one listener, and first hands it what was kept before. */
    public synchronized void listen(Listener listener) {
        pending.forEach(m -> tell(listener, m));
        pending.clear();
        this.listener = listener;
    }

    /** Called where a message of {@code identity} with {@code contact} was stored (and was new). */
    synchronized void kept(LocalIdentity identity, UserId contact, ChatEnvelope envelope, String text,
            boolean outgoing, MessageState state) {
        KeptMessage message = new KeptMessage(identity.userId(), contact, envelope.id(), envelope.conversation(),
                envelope.timestamp(), outgoing, text, state);
        if (listener != null) {
            tell(listener, message);
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            pending.removeFirst();
        }
        pending.add(message);
    }

    private static void tell(Listener listener, KeptMessage message) {
        try {
            listener.kept(message);
        } catch (RuntimeException e) {
            // The message itself is stored; only its copy for the other devices is missing.
            log.warn("message {} was kept but not written to the history journal: {}", message.id(), e.toString());
        }
    }

    /**
     * Keeps a message another device of this user kept, unless this device holds it already (it
     * arrived here too, through fan-out, or was imported before). An outgoing message shows as
     * sent: this device's outbox never had it.
     *
     * @return whether it was new here; false also when this node has no such identity
     */
    public boolean importCopy(KeptMessage message) throws StorageException {
        Optional<LocalIdentity> identity = runtime.identities.all().stream()
                .filter(i -> i.userId().equals(message.identity())).findFirst();
        if (identity.isEmpty()) {
            return false;
        }
        MessageState state = message.outgoing() && message.state() == MessageState.PENDING ? MessageState.SENT
                : message.state();
        ChatEnvelope envelope = new ChatEnvelope(message.id(), message.time(), message.conversation(),
                new ChatContent.Text(message.text()));
        boolean added = runtime.messages.addCopy(identity.get().rowId(), message.contact(), envelope, message.text(),
                message.outgoing(), state);
        if (added) {
            runtime.hlc.observe(message.time());
            runtime.publish(new NodeEvent.ChatMessage(message.identity().text(), message.contact().text(),
                    message.id().toString(), message.outgoing(), message.time().physicalMillis(),
                    message.time().counter(), message.text()));
        }
        return added;
    }
}
