package org.parley.files.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.BitSet;
import java.util.concurrent.Semaphore;
import org.parley.files.protocol.wire.FilesCodec;
import org.parley.files.protocol.wire.FilesMessage;
import org.parley.files.protocol.wire.FilesMessage.HaveBitfield;
import org.parley.files.protocol.wire.FilesMessage.ManifestAnswer;
import org.parley.files.protocol.wire.FilesMessage.ManifestRequest;
import org.parley.files.protocol.wire.FilesMessage.Piece;
import org.parley.files.protocol.wire.FilesMessage.PieceRequest;
import org.parley.files.protocol.wire.FilesMessage.Refusal;
import org.parley.files.protocol.wire.FilesMessage.RefusalReason;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.StreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seeder's side of {@code /parley/files/1.0.0}: answers a manifest request with the manifest
 * and a have-bitfield, then each piece request, in order, with the piece or a refusal; between
 * answers it announces each piece a partial source gains (a have). A peer that
 * sends anything else gets its stream reset (the host does that when this throws). Register with
 * {@code host.setHandler(FilesProtocol.PROTOCOL_ID, responder)}. Thread safe.
 */
public final class FilesResponder implements StreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FilesResponder.class);

    private final PieceSources sources;
    private final Semaphore streams = new Semaphore(FilesLimits.MAX_INBOUND_STREAMS);

    public FilesResponder(PieceSources sources) {
        this.sources = sources;
    }

    @Override
    public void handle(Stream stream) throws IOException {
        if (!streams.tryAcquire()) {
            write(stream.out(), new Refusal(RefusalReason.TOO_MANY_REQUESTS, -1, "too many file streams; try again later"));
            return;
        }
        try {
            serve(stream);
        } finally {
            streams.release();
        }
    }

    private void serve(Stream stream) throws IOException {
        InputStream in = stream.in();
        OutputStream out = stream.out();
        FilesMessage first = FilesCodec.read(in, FilesCodec.MAX_REQUEST_FRAME_BYTES);
        if (first == null) {
            return;
        }
        if (!(first instanceof ManifestRequest request)) {
            throw new PeerFaultException("files stream must start with a manifest request, not " + first);
        }
        PieceSource source = sources.get(request.fileId());
        if (source == null) {
            write(out, new Refusal(RefusalReason.UNKNOWN_FILE, -1, "this peer does not share that file"));
            return;
        }
        // Watch before the snapshot, so no piece verified in between goes unannounced (a have for a
        // piece already in the bitfield is harmless).
        Object writeLock = new Object();
        try (HaveAnnouncer ignored = HaveAnnouncer.start(source, out, writeLock);
             PieceSource.Reader reader = source.openReader()) {
            BitSet have = source.pieces();
            synchronized (writeLock) {
                FilesCodec.write(out, new ManifestAnswer(source.manifestBytes()));
                write(out, new HaveBitfield(have.toByteArray()));
            }
            FilesMessage next;
            while ((next = FilesCodec.read(in, FilesCodec.MAX_REQUEST_FRAME_BYTES)) != null) {
                if (!(next instanceof PieceRequest(int index))) {
                    throw new PeerFaultException("expected a piece request, got " + next);
                }
                FilesMessage answer = answer(source, reader, index);
                synchronized (writeLock) {
                    write(out, answer);
                }
            }
        }
    }

    private static FilesMessage answer(PieceSource source, PieceSource.Reader reader, int index) {
        if (!source.pieces().get(index)) {
            return new Refusal(RefusalReason.DO_NOT_HAVE, index, "this peer does not have piece " + index);
        }
        try {
            PieceSource.SealedPiece piece = reader.read(index);
            return new Piece(index, piece.proof(), piece.data());
        } catch (IOException e) {
            LOG.warn("cannot serve piece {} of {}: {}", index, source.fileId(), e.getMessage());
            return new Refusal(RefusalReason.UNAVAILABLE, index, "this peer cannot read piece " + index + " now");
        }
    }

    private static void write(OutputStream out, FilesMessage message) throws IOException {
        FilesCodec.write(out, message);
        out.flush();
    }
}
