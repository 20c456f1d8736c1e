package org.parley.node.chat;

import java.util.List;
import org.parley.chat.identity.UserId;
import org.parley.chat.protocol.ChatSender;
import org.parley.chat.protocol.PrekeyInitiator;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.session.InMemoryChatStores;
import org.parley.chat.session.SessionManager;
import org.parley.chat.wire.ChatAck;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.chat.wire.PrekeyAnswer;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.ParleyNode;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * A peer that is no Parley node: its own libp2p host and a chat identity in memory, which speaks
 * the chat protocols to a node directly, so tests can send what the node's own API refuses to
 * (texts without consent, request floods, frames claiming someone else's ID).
 */
final class Stranger implements AutoCloseable {

    final Host host;
    final SessionManager sessions;
    final UserId id;
    private final boolean ownsHost;

    Stranger() throws Exception {
        this(IdentityKeyPair.generate());
    }

    Stranger(IdentityKeyPair identity) throws Exception {
        this(identity, newHost(), true);
    }

    /** Another chat identity on {@code host}: many identities behind one peer. */
    Stranger(IdentityKeyPair identity, Host host) {
        this(identity, host, false);
    }

    private Stranger(IdentityKeyPair identity, Host host, boolean ownsHost) {
        this.host = host;
        this.ownsHost = ownsHost;
        sessions = new SessionManager(new InMemoryChatStores(identity, 4321, 1));
        id = sessions.self();
    }

    private static Host newHost() throws Exception {
        Host host = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).build();
        host.start();
        return host;
    }

    /** Starts a session with the node's identity {@code target} from a bundle it serves. */
    void startSession(ParleyNode node, UserId target) throws Exception {
        host.connect(node.dialableAddresses().getFirst());
        PrekeyAnswer answer = PrekeyInitiator.fetch(host, node.host().peerId(), target);
        if (!(answer instanceof PrekeyAnswer.Bundle(var bundle))) {
            throw new AssertionError("the node served no bundle of " + target);
        }
        sessions.startSession(target, bundle);
    }

    /** Encrypts {@code content} for {@code target} and sends it; the node's ack. */
    ChatAck send(ParleyNode node, UserId target, ChatContent content) throws Exception {
        return sendFrame(node, frame(target, content));
    }

    ChatFrame frame(UserId target, ChatContent content) throws Exception {
        ChatEnvelope envelope = new ChatEnvelope(MessageId.next(), new HlcTimestamp(System.currentTimeMillis(), 0),
                ConversationId.random(), content);
        return sessions.encrypt(new ChatAddress(target, 1), envelope);
    }

    ChatAck sendFrame(ParleyNode node, ChatFrame frame) throws Exception {
        try (ChatSender sender = ChatSender.open(host, node.host().peerId())) {
            return sender.send(frame);
        }
    }

    @Override
    public void close() {
        if (ownsHost) {
            host.close();
        }
    }
}
