package org.parley.node.chat;

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
     * message can arrive in between) are held until it listens; a node that runs without history
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

    /** Told of each message this device keeps, in order, on the history's own writer thread. */
    @FunctionalInterface
    public interface Listener {
        void kept(KeptMessage message);
    }

    private final ChatRuntime runtime;
    /**
     * What the writer has yet to tell. Messages are kept under the message store's transaction
     * (the inbox keeps a burst of frames in one), while the listener takes the journal's lock and
     * then the database's: telling it from a writer thread of its own keeps the two lock orders
     * apart. Unbounded while a listener is set, so a kept message never waits for the journal.
     */
    private final java.util.concurrent.LinkedBlockingDeque<KeptMessage> queue =
            new java.util.concurrent.LinkedBlockingDeque<>();
    private volatile Listener listener;

    ChatHistory(ChatRuntime runtime) {
        this.runtime = runtime;
    }

    /** Sets the one listener and starts telling it, first of what was kept before. */
    public synchronized void listen(Listener listener) {
        if (this.listener != null) {
            throw new IllegalStateException("the chat history has a listener already");
        }
        this.listener = listener;
        Thread.ofVirtual().name("chat-history-writer").start(() -> {
            try {
                while (true) {
                    tell(listener, queue.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Called where a message of {@code identity} with {@code contact} was stored (and was new). */
    void kept(LocalIdentity identity, UserId contact, ChatEnvelope envelope, String text,
            boolean outgoing, MessageState state) {
        KeptMessage message = new KeptMessage(identity.userId(), contact, envelope.id(), envelope.conversation(),
                envelope.timestamp(), outgoing, text, state);
        synchronized (this) {
            if (listener == null && queue.size() >= MAX_PENDING) {
                queue.pollFirst();
            }
            queue.addLast(message);
        }
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
