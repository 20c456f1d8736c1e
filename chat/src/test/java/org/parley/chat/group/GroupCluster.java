package org.parley.chat.group;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.session.InMemoryChatStores;
import org.parley.chat.session.PrekeyService;
import org.parley.chat.session.SessionManager;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * Group members in one JVM over in-memory stores and real pairwise libsignal sessions: every
 * delivery is wrapped in an envelope, padded and encrypted for its recipient, and queued in the
 * recipient's inbox; an offline member's inbox keeps its frames in order, as the node's durable
 * outbox would. Not thread safe.
 */
final class GroupCluster {

    private final AtomicLong clock = new AtomicLong(1_764_777_600_000L);
    final Map<UserId, Member> members = new LinkedHashMap<>();
    /** Pairwise frames sent, for the figures. */
    long framesSent;
    long frameBytes;

    /** One member's device. */
    final class Member {
        final String label;
        final InMemoryChatStores stores;
        final SessionManager sessions;
        final PrekeyService prekeys;
        final GroupEngine engine;
        final ArrayDeque<ChatFrame> inbox = new ArrayDeque<>();
        final List<GroupText> shown = new ArrayList<>();
        final List<GroupOpRejectedException> refusedOps = new ArrayList<>();
        final List<String> refusedMessages = new ArrayList<>();
        boolean online = true;

        Member(String label) {
            this.label = label;
            this.stores = new InMemoryChatStores(IdentityKeyPair.generate(), 1000 + members.size(), 1);
            this.sessions = new SessionManager(stores);
            this.prekeys = sessions.prekeyService(Clock.systemUTC());
            this.engine = new GroupEngine(sessions);
        }

        UserId id() {
            return sessions.self();
        }

        ChatAddress address() {
            return new ChatAddress(id(), 1);
        }

        /** Texts shown, in display order. */
        List<GroupText> history() {
            return shown.stream().sorted(GroupText.ORDER).toList();
        }

        GroupText send(ConversationId group, String text) {
            GroupUpdate u = engine.send(group, MessageId.next(), now(), text);
            take(this, u);
            return u.texts().getFirst();
        }

        GroupState state(ConversationId group) {
            return engine.state(group).orElseThrow();
        }

        @Override
        public String toString() {
            return label;
        }
    }

    Member add(String label) {
        Member m = new Member(label);
        members.put(m.id(), m);
        return m;
    }

    HlcTimestamp now() {
        return new HlcTimestamp(clock.incrementAndGet(), 0);
    }

    Member of(UserId id) {
        return members.get(id);
    }

    /** Handles what one step of {@code from}'s engine produced: its texts shown, its deliveries queued. */
    void take(Member from, GroupUpdate update) {
        from.shown.addAll(update.texts());
        from.refusedOps.addAll(update.refusedOps());
        from.refusedMessages.addAll(update.refusedMessages());
        for (GroupDelivery d : update.deliveries()) {
            deliver(from, of(d.to()), d.content());
        }
    }

    /** Encrypts {@code content} pairwise from {@code from} to {@code to} and queues it in to's inbox. */
    void deliver(Member from, Member to, ChatContent content) {
        try {
            if (!from.sessions.hasSession(to.address())) {
                from.sessions.startSession(to.id(), to.prekeys.nextBundle());
            }
            ConversationId group = switch (content) {
                case ChatContent.GroupOps g -> g.group();
                case ChatContent.GroupMessage g -> g.group();
                default -> throw new IllegalArgumentException("not group content: " + content);
            };
            ChatFrame frame = from.sessions.encrypt(to.address(), new ChatEnvelope(MessageId.next(), now(), group,
                    content));
            framesSent++;
            frameBytes += frame.ciphertext().length;
            to.inbox.addLast(frame);
        } catch (Exception e) {
            throw new AssertionError("pairwise delivery " + from + " -> " + to + " failed", e);
        }
    }

    /** Lets every online member handle its inbox until no frame is left for an online member. */
    void run() {
        boolean work = true;
        while (work) {
            work = false;
            for (Member m : List.copyOf(members.values())) {
                while (m.online && !m.inbox.isEmpty()) {
                    work = true;
                    receive(m, m.inbox.removeFirst());
                }
            }
        }
    }

    /** Lets {@code m} handle everything in its inbox (whether online or not); for runners that drive members themselves. */
    void drain(Member m) {
        ChatFrame frame;
        while ((frame = m.inbox.pollFirst()) != null) {
            receive(m, frame);
        }
    }

    private void receive(Member m, ChatFrame frame) {
        ChatEnvelope envelope;
        try {
            envelope = m.sessions.decrypt(frame);
        } catch (Exception e) {
            throw new AssertionError(m + " could not decrypt a pairwise frame", e);
        }
        ChatAddress from = new ChatAddress(frame.sender(), frame.senderDevice());
        GroupUpdate update = switch (envelope.content()) {
            case ChatContent.GroupOps ops -> m.engine.receive(from, ops);
            case ChatContent.GroupMessage message -> m.engine.receive(from, message);
            default -> throw new AssertionError("unexpected content " + envelope.content());
        };
        take(m, update);
    }
}
