package org.parley.journal.protocol;

import java.io.IOException;
import org.parley.journal.DeviceRoster;
import org.parley.journal.InvalidEntryException;
import org.parley.journal.Journal;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.StreamHandler;
import org.parley.libp2p.peer.PeerId;

/**
 * {@code /parley/journal/1.0.0} on libp2p streams: {@link #sync} runs an exchange on a stream this
 * device opened, {@link #handler} serves the ones siblings open. Only current devices of the user
 * may take part; anyone else's stream is reset before a byte of the journal is sent. A failed
 * exchange resets the stream and is reported to the {@link SyncListener}. Thread safe: each
 * exchange runs on its caller's thread.
 */
public final class JournalSync {

    private final Journal journal;
    private final DeviceRoster roster;
    private final SyncListener listener;

    public JournalSync(Journal journal, DeviceRoster roster, SyncListener listener) {
        this.journal = journal;
        this.roster = roster;
        this.listener = listener;
    }

    /**
     * Runs one exchange on {@code stream}, which this device opened to a sibling.
     *
     * @throws InvalidEntryException if the sibling sent an entry that fails a check
     * @throws PeerFaultException if the peer is not a current device or broke the protocol
     */
    public ExchangeResult sync(Stream stream) throws IOException {
        return run(stream, true);
    }

    /** The responder, to register under {@link JournalProtocol#PROTOCOL_ID}. */
    public StreamHandler handler() {
        return stream -> run(stream, false);
    }

    private ExchangeResult run(Stream stream, boolean initiator) throws IOException {
        PeerId peer = stream.remotePeer();
        try {
            if (!roster.accepts(peer)) {
                throw new PeerFaultException(peer + " is not a current device of this user; it may not sync the journal");
            }
            listener.started(peer, initiator);
            JournalExchange exchange = new JournalExchange(journal, roster, peer, stream.in(), stream.out());
            ExchangeResult result = initiator ? exchange.initiate() : exchange.respond();
            stream.close();
            listener.exchanged(result);
            return result;
        } catch (InvalidEntryException e) {
            stream.reset();
            listener.refused(peer, e);
            throw e;
        } catch (IOException | RuntimeException e) {
            stream.reset();
            listener.failed(peer, e);
            throw e;
        }
    }
}
