package org.parley.node.events;

import org.parley.dht.DhtMode;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * Something that happened in the node that a live view (the web UI through {@code /api/events})
 * wants to know at once. Each kind has a stable {@link #type()} name, the {@code type} field of its
 * JSON form ({@link EventJson}). Features add their kinds here (chat messages, transfer progress,
 * sync state). Immutable.
 */
public sealed interface NodeEvent {

    /** The stable name of this kind of event, e.g. {@code peer.connected}. */
    String type();

    /** A connection to {@code peer} is up; {@code inbound} if the peer dialed us. There may be more than one. */
    record PeerConnected(PeerId peer, Multiaddr address, boolean inbound) implements NodeEvent {
        public static final String TYPE = "peer.connected";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** A connection to {@code peer} closed; {@code lastConnection} if no other one is left. */
    record PeerDisconnected(PeerId peer, Multiaddr address, boolean lastConnection) implements NodeEvent {
        public static final String TYPE = "peer.disconnected";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Identify with {@code peer} finished: its agent version, protocols and addresses are known
     * now ({@code GET /api/peers} shows them).
     */
    record PeerIdentified(PeerId peer) implements NodeEvent {
        public static final String TYPE = "peer.identified";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * The journal sync state with one sibling device changed: {@code state} is {@code in-sync},
     * {@code behind} (by {@code behindBy} entries), {@code syncing}, {@code failed} ({@code error}
     * says why) or {@code never}; {@code lastSyncMillis} is when the last exchange finished, or null.
     */
    record SyncState(PeerId device, String state, long behindBy, Long lastSyncMillis, String error)
            implements NodeEvent {
        public static final String TYPE = "sync.state";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** The DHT switched between answering queries (server) and only asking (client). */
    record DhtModeChanged(DhtMode previous, DhtMode mode) implements NodeEvent {
        public static final String TYPE = "dht.mode";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A download went on: verified bytes and pieces of the total, the rate over its current run,
     * the seconds left at that rate (null when unknown) and the peers it fetches from. Sent at most
     * a few times a second per download.
     */
    record TransferProgress(String fileId, long bytesDone, long bytesTotal, double bytesPerSecond, Long etaSeconds,
            int peers, int piecesDone, int piecesTotal) implements NodeEvent {
        public static final String TYPE = "transfer.progress";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A share or download changed state ({@code seeding}, {@code running}, {@code paused},
     * {@code done}, {@code failed}, {@code cancelled}, {@code unshared}); {@code error} says why a
     * download failed, else null.
     */
    record TransferState(String fileId, String kind, String name, String state, String error) implements NodeEvent {
        public static final String TYPE = "transfer.state";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A text message was stored: one of ours ({@code outgoing}, state pending) or one a contact
     * sent. The text goes only to local subscribers (the web page), never to a log.
     */
    record ChatMessage(String identity, String contact, String messageId, boolean outgoing, long hlcMillis,
            int hlcCounter, String text) implements NodeEvent {
        public static final String TYPE = "chat.message";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String toString() {
            // The text stays out of any log line that prints an event.
            return "ChatMessage[" + identity + " " + contact + " " + messageId + (outgoing ? " out" : " in") + "]";
        }
    }

    /** One of our messages moved to {@code state} (sent, delivered, read, failed with {@code reason}). */
    record ChatState(String identity, String contact, String messageId, String state, String reason)
            implements NodeEvent {
        public static final String TYPE = "chat.state";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** A stranger asked {@code identity} to become a contact; {@code intro} is their message (280 characters at most). */
    record ContactRequest(String identity, String contact, String displayName, String intro) implements NodeEvent {
        public static final String TYPE = "contact.request";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String toString() {
            return "ContactRequest[" + identity + " " + contact + "]";
        }
    }

    /**
     * {@code contact} answered our contact request: {@code state} is {@code accepted} or
     * {@code declined}. Lets a page move them from "waiting" to the contacts without asking.
     */
    record ContactState(String identity, String contact, String state) implements NodeEvent {
        public static final String TYPE = "contact.state";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Someone presented an identity key for {@code contact} that is not theirs: automatic sending
     * to them is held until the user checks the safety number and runs verify.
     */
    record ContactKeyChanged(String identity, String contact) implements NodeEvent {
        public static final String TYPE = "contact.key-changed";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A group of {@code identity} changed: created, joined, invited to ({@code membership}
     * {@code invited}), or an operation was applied ({@code epoch} counts them).
     */
    record GroupChanged(String identity, String group, String name, int epoch, int members, String membership)
            implements NodeEvent {
        public static final String TYPE = "group.changed";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String toString() {
            return "GroupChanged[" + identity + " " + group + " epoch " + epoch + "]";
        }
    }

    /** {@code member} told it holds our group message {@code messageId} (a delivered receipt). */
    record GroupDelivered(String identity, String group, String messageId, String member) implements NodeEvent {
        public static final String TYPE = "group.delivered";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * A group message was stored: one of ours ({@code outgoing}) or one a member sent (delivered
     * here). The text goes only to local subscribers, never to a log.
     */
    record GroupMessage(String identity, String group, String sender, String messageId, boolean outgoing,
            long hlcMillis, int hlcCounter, String text) implements NodeEvent {
        public static final String TYPE = "group.message";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String toString() {
            return "GroupMessage[" + identity + " " + group + " " + messageId + (outgoing ? " out" : " in") + "]";
        }
    }

    /**
     * The subscriber fell behind and lost its {@code count} oldest events; it stands where they
     * were. A view that must be exact reloads its state through the HTTP API.
     */
    record EventsDropped(long count) implements NodeEvent {
        public static final String TYPE = "events.dropped";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Device {@code number} at {@code peer} was linked to {@code identity}: it is on the signed device list. */
    record DeviceAdded(String identity, String peer, int number) implements NodeEvent {
        public static final String TYPE = "device.added";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Device {@code number} at {@code peer} was revoked from {@code identity}'s device list. */
    record DeviceRevoked(String identity, String peer, int number) implements NodeEvent {
        public static final String TYPE = "device.revoked";

        @Override
        public String type() {
            return TYPE;
        }
    }
}
