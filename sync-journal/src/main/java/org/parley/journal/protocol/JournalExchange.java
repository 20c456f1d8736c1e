package org.parley.journal.protocol;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.parley.journal.DeviceRoster;
import org.parley.journal.Journal;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.protocol.wire.JournalCodec;
import org.parley.journal.protocol.wire.JournalMessage;
import org.parley.journal.store.VersionVector;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.peer.PeerId;

/**
 * One reconciliation exchange over one stream, either role. The initiator sends its version
 * vector, the responder answers with its own, then the responder streams in batches what the
 * initiator lacks and ends with Done, then the initiator does the same the other way:
 *
 * <pre>
 * initiator                responder
 *   Vector   ----------->
 *            <-----------  Vector
 *            <-----------  Entries ... Done
 *   Entries ... Done --->
 * </pre>
 *
 * One side writes while the other reads, so flow control never stalls both. Each received batch
 * is checked and stored in one transaction before the next is read: a broken connection loses at
 * most a batch, and the next exchange starts from the vector that now includes everything
 * stored, so exchanges resume and repeat without duplicates. Not thread safe: one exchange per
 * instance, on the calling thread.
 */
public final class JournalExchange {

    private final Journal journal;
    private final DeviceRoster roster;
    private final PeerId peer;
    private final CountingIn in;
    private final CountingOut out;
    private final int maxEntries;
    private int received;
    private int stored;
    private int sent;
    private long entryBytesReceived;

    public JournalExchange(Journal journal, DeviceRoster roster, PeerId peer, InputStream in, OutputStream out) {
        this(journal, roster, peer, in, out, JournalLimits.MAX_ENTRIES_PER_EXCHANGE);
    }

    /** With another per-exchange limit, so tests reach it without 131,072 entries. */
    JournalExchange(Journal journal, DeviceRoster roster, PeerId peer, InputStream in, OutputStream out,
            int maxEntriesPerExchange) {
        this.maxEntries = maxEntriesPerExchange;
        this.journal = journal;
        this.roster = roster;
        this.peer = peer;
        this.in = new CountingIn(in);
        this.out = new CountingOut(out);
    }

    /** Runs the exchange as the side that opened the stream. */
    public ExchangeResult initiate() throws IOException {
        VersionVector mine = journal.store().versionVector();
        send(new JournalMessage.Vector(mine));
        out.flush();
        VersionVector theirs = readVector();
        boolean theyHaveMore = receive();
        boolean iHaveMore = sendMissing(theirs);
        return result(theirs, mine, theyHaveMore || iHaveMore);
    }

    /** Runs the exchange as the side that accepted the stream. */
    public ExchangeResult respond() throws IOException {
        VersionVector theirs = readVector();
        VersionVector mine = journal.store().versionVector();
        send(new JournalMessage.Vector(mine));
        boolean iHaveMore = sendMissing(theirs);
        boolean theyHaveMore = receive();
        return result(theirs, mine, theyHaveMore || iHaveMore);
    }

    private ExchangeResult result(VersionVector theirs, VersionVector mine, boolean more) {
        return new ExchangeResult(peer, theirs, theirs.aheadOf(mine), mine.aheadOf(theirs), received, stored, sent,
                in.count, out.count, entryBytesReceived, more);
    }

    private VersionVector readVector() throws IOException {
        JournalMessage message = JournalCodec.read(in);
        if (message == null) {
            throw new EOFException("the peer closed the journal stream before its version vector");
        }
        if (!(message instanceof JournalMessage.Vector(VersionVector vector))) {
            throw new PeerFaultException("expected a version vector first, got " + name(message));
        }
        return vector;
    }

    /** Reads batches until Done; returns its more flag. */
    private boolean receive() throws IOException {
        while (true) {
            JournalMessage message = JournalCodec.read(in);
            switch (message) {
                case null -> throw new EOFException("the peer closed the journal stream before Done");
                case JournalMessage.Entries(List<JournalEntry> entries) -> {
                    if ((long) received + entries.size() > maxEntries) {
                        throw new PeerFaultException("the peer sent more than " + maxEntries + " entries in one exchange");
                    }
                    received += entries.size();
                    stored += journal.accept(entries, roster).size();
                    for (JournalEntry e : entries) {
                        entryBytesReceived += e.encodedLength();
                    }
                }
                case JournalMessage.Done(boolean more) -> {
                    return more;
                }
                case JournalMessage.Vector v -> throw new PeerFaultException("a second version vector during the exchange");
            }
        }
    }

    /** Streams what {@code theirs} lacks, device by device in chain order, then Done; true if it stopped at the limit. */
    private boolean sendMissing(VersionVector theirs) throws IOException {
        VersionVector mine = journal.store().versionVector();
        List<JournalEntry> batch = new ArrayList<>();
        int batchBytes = 0;
        boolean more = false;
        devices:
        for (PeerId device : mine.heads().keySet()) {
            long next = theirs.head(device);
            long last = mine.head(device);
            while (next < last) {
                if (sent + batch.size() >= maxEntries) {
                    more = true;
                    break devices;
                }
                int room = maxEntries - sent - batch.size();
                List<JournalEntry> page = journal.store().after(device, next,
                        Math.min(room, JournalLimits.MAX_BATCH_ENTRIES));
                if (page.isEmpty()) {
                    break;
                }
                for (JournalEntry e : page) {
                    batch.add(e);
                    batchBytes += e.encodedLength();
                    next = e.seq();
                    if (batch.size() == JournalLimits.MAX_BATCH_ENTRIES || batchBytes >= JournalLimits.MAX_BATCH_BYTES) {
                        flushBatch(batch);
                        batchBytes = 0;
                    }
                }
            }
        }
        flushBatch(batch);
        send(new JournalMessage.Done(more));
        out.flush();
        return more;
    }

    private void flushBatch(List<JournalEntry> batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        send(new JournalMessage.Entries(batch));
        out.flush();
        sent += batch.size();
        batch.clear();
    }

    private void send(JournalMessage message) throws IOException {
        JournalCodec.write(out, message);
    }

    private static String name(JournalMessage message) {
        return message.getClass().getSimpleName();
    }

    private static final class CountingIn extends FilterInputStream {
        long count;

        CountingIn(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private static final class CountingOut extends FilterOutputStream {
        long count;

        CountingOut(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
