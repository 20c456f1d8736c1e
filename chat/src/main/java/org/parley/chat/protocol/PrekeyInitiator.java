package org.parley.chat.protocol;

import java.io.IOException;
import java.time.Duration;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.PrekeyAnswer;
import org.parley.chat.wire.PrekeyCodec;
import org.parley.chat.wire.PrekeyRequest;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.peer.PeerId;

/** Asks a device for a prekey bundle on {@code /parley/prekeys/1.0.0}: one request, one answer per stream. Stateless. */
public final class PrekeyInitiator {

    public static final String PROTOCOL_ID = PrekeyResponder.PROTOCOL_ID;

    /** Answering takes the peer a key lookup (or a pool refill of a few ms); 10 s covers a slow link. */
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private PrekeyInitiator() {}

    /** Opens a stream to {@code peer} and asks it for the bundle of {@code identity}. */
    public static PrekeyAnswer fetch(Host host, PeerId peer, UserId identity) throws IOException {
        Stream stream = host.newStream(peer, PROTOCOL_ID);
        try {
            return fetch(stream, identity, ANSWER_TIMEOUT);
        } finally {
            stream.close();
        }
    }

    /**
     * Asks on an open stream for the bundle of {@code identity}.
     *
     * @throws PeerFaultException if the answer is malformed or is a bundle of another identity (the
     *     stream is reset)
     * @throws ConnectionClosedException if no answer comes within {@code timeout} or the stream ends first
     */
    public static PrekeyAnswer fetch(Stream stream, UserId identity, Duration timeout) throws IOException {
        PrekeyAnswer answer;
        try (StreamTimeout deadline = StreamTimeout.start(stream, timeout)) {
            try {
                PrekeyCodec.writeRequest(stream.out(), new PrekeyRequest(identity));
                stream.closeWrite();
                answer = PrekeyCodec.readAnswer(stream.in());
            } catch (IOException e) {
                if (deadline.expired()) {
                    throw new ConnectionClosedException("no prekey answer from " + stream.remotePeer() + " within "
                            + timeout.toMillis() + " ms", e);
                }
                throw e;
            }
        } catch (PeerFaultException e) {
            stream.reset();
            throw e;
        }
        if (answer == null) {
            throw new ConnectionClosedException("prekey stream from " + stream.remotePeer() + " ended without an answer");
        }
        if (answer instanceof PrekeyAnswer.Bundle(var bundle) && !bundle.identity().equals(identity)) {
            stream.reset();
            throw new PeerFaultException("prekey answer from " + stream.remotePeer() + " is a bundle of "
                    + bundle.identity() + ", not of the asked " + identity);
        }
        return answer;
    }
}
