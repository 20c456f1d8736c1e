package org.parley.files.download;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.files.protocol.FilesInitiator;
import org.parley.files.protocol.wire.FilesMessage;
import org.parley.files.protocol.wire.FilesMessage.Have;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.peer.PeerId;

/**
 * Reads one peer's files stream on its own virtual thread: a have goes straight to the swarm (which
 * wakes idle workers), pieces and refusals queue for the {@link PeerWorker} in the order they came.
 * An answer nobody asked for is a protocol fault, so the queue never holds more than the requests in
 * flight. When the stream ends or breaks, the worker gets the failure from {@link #take()} or
 * {@link #throwIfEnded()}.
 */
final class AnswerReader {

    private final FilesInitiator session;
    private final Swarm swarm;
    private final PeerId peer;
    private final LinkedBlockingQueue<FilesMessage> answers = new LinkedBlockingQueue<>();
    /** Requests sent and not yet answered; the worker counts up before it sends, this thread down. */
    private final AtomicInteger unanswered = new AtomicInteger();
    private volatile IOException ended;
    private volatile long lastNewsNanos = System.nanoTime();

    private AnswerReader(FilesInitiator session, Swarm swarm, PeerId peer) {
        this.session = session;
        this.swarm = swarm;
        this.peer = peer;
    }

    static AnswerReader start(FilesInitiator session, Swarm swarm, PeerId peer) {
        AnswerReader reader = new AnswerReader(session, swarm, peer);
        Thread.ofVirtual().name("files-read").start(reader::run);
        return reader;
    }

    private void run() {
        try {
            while (true) {
                FilesMessage message = session.next();
                if (message instanceof Have have) {
                    lastNewsNanos = System.nanoTime();
                    swarm.onHave(peer, have.index());
                    continue;
                }
                if (unanswered.getAndDecrement() <= 0) {
                    throw new PeerFaultException("peer sent " + message + " that nobody asked for");
                }
                answers.add(message);
            }
        } catch (IOException e) {
            ended = e;
        } catch (RuntimeException e) {
            ended = new IOException(e.toString(), e);
        }
        // Wake the worker whether it waits for an answer or for a change in the swarm. The queue holds
        // only pieces and refusals otherwise, so a have (index -1, never on the wire) marks the end.
        answers.add(new FilesMessage.Have(-1));
        swarm.changed();
    }

    /** Counts one more request about to be sent. */
    void expectOneMore() {
        unanswered.incrementAndGet();
    }

    /** When the stream opened or the peer last announced a piece, in {@link System#nanoTime()}. */
    long lastNewsNanos() {
        return lastNewsNanos;
    }

    /** Throws what ended the stream, if it has ended. */
    void throwIfEnded() throws IOException {
        IOException e = ended;
        if (e != null) {
            throw e;
        }
    }

    /** The next piece or refusal, waiting for it. */
    FilesMessage take() throws IOException, InterruptedException {
        FilesMessage message = answers.take();
        if (message instanceof Have) {
            throwIfEnded();
            throw new IllegalStateException("the reader ended without saying why");
        }
        return message;
    }
}
