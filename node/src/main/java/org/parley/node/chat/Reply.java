package org.parley.node.chat;

import java.util.Objects;
import org.parley.chat.wire.ChatFrame;
import org.parley.libp2p.peer.PeerId;

/** A frame an ack carried back on {@code /parley/chat/1.1.0} (a delivered receipt), and the peer whose ack it was. */
record Reply(PeerId from, ChatFrame frame) {

    Reply {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(frame, "frame");
    }
}
