package org.parley.files.download;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.files.protocol.FilesInitiator;
import org.parley.files.protocol.wire.FilesMessage;
import org.parley.files.protocol.wire.FilesMessage.Have;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.peer.PeerId;

/**
 * Reads one peer's files stream on its own virtual thread: a have goes straight to the swarm (which
 * wakes idle workers), pieces and refusals go to the {@link PeerWorker} in the order they came.
 * An answer nobody asked for is a protocol fault. Each answer is handed over directly: the reader
 * holds the piece it read until the worker takes it, and reads no further meanwhile (the stream's
 * receive window keeps the bytes coming), so a peer holds at most three chunk buffers of the
 * download (the one read, the one verified, and the one its {@link PieceWriter} stores), whatever
 * its depth: with the 4 MiB chunks of a 10 GiB file that bounds the leecher's heap.
 * When the stream ends or breaks, the worker gets the failure from {@link #take()} or
 * {@link #throwIfEnded()}.
 */
final class AnswerReader {

    private final FilesInitiator session;
    private final Swarm swarm;
    private final PeerId peer;
    private final BlockingQueue<FilesMessage> answers = new SynchronousQueue<>();
    private Thread thread;
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
        reader.thread = Thread.ofVirtual().name("files-read").start(reader::run);
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
                answers.put(message);
            }
        } catch (IOException e) {
            ended = e;
        } catch (RuntimeException e) {
            ended = new IOException(e.toString(), e);
        } catch (InterruptedException e) {
            return; // the worker is gone (stop)
        }
        // Wake the worker whether it waits for a change in the swarm (it then finds the stream ended)
        // or for an answer: answers are only pieces and refusals otherwise, so a have (index -1, never
        // on the wire) marks the end. The swarm first: the hand-over waits until the worker takes it,
        // or until the worker ends and stops this reader.
        swarm.changed();
        try {
            answers.put(new FilesMessage.Have(-1));
        } catch (InterruptedException e) {
            return;
        }
    }

    /** Ends the reader: called by the worker when it ends, so a reader waiting to hand over an answer does not wait forever. */
    void stop() {
        thread.interrupt();
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
