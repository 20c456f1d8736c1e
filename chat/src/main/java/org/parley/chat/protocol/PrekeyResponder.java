package org.parley.chat.protocol;

import java.io.IOException;
import java.time.Duration;
import org.parley.chat.wire.PrekeyAnswer;
import org.parley.chat.wire.PrekeyCodec;
import org.parley.chat.wire.PrekeyRequest;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.StreamHandler;

/**
 * Serves {@code /parley/prekeys/1.0.0}: reads one request, answers with a bundle of the asked
 * identity (or "unknown identity"), and closes its side. A malformed request fails the handler,
 * so the host resets the stream. Thread safe if its {@link PrekeySource} is.
 */
public final class PrekeyResponder implements StreamHandler {

    public static final String PROTOCOL_ID = "/parley/prekeys/1.0.0";

    /** A request is one small message: a peer that takes longer than this is stalled or hostile. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final PrekeySource source;
    private final Duration timeout;

    public PrekeyResponder(PrekeySource source) {
        this(source, REQUEST_TIMEOUT);
    }

    PrekeyResponder(PrekeySource source, Duration timeout) {
        this.source = source;
        this.timeout = timeout;
    }

    @Override
    public void handle(Stream stream) throws IOException {
        try (StreamTimeout deadline = StreamTimeout.start(stream, timeout)) {
            try {
                PrekeyRequest request = PrekeyCodec.readRequest(stream.in());
                if (request == null) {
                    return;
                }
                PrekeyAnswer answer = source.bundleFor(request.identity(), stream.remotePeer().toString())
                        .<PrekeyAnswer>map(PrekeyAnswer.Bundle::new)
                        .orElseGet(PrekeyAnswer.UnknownIdentity::new);
                PrekeyCodec.writeAnswer(stream.out(), answer);
            } catch (IOException e) {
                if (deadline.expired()) {
                    throw new ConnectionClosedException("no prekey request from " + stream.remotePeer()
                            + " within " + timeout.toMillis() + " ms", e);
                }
                throw e;
            }
        }
        stream.closeWrite();
    }
}
