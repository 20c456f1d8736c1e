package org.parley.files.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.BitSet;
import org.parley.files.manifest.FileId;
import org.parley.files.manifest.Manifest;
import org.parley.files.manifest.ManifestCodec;
import org.parley.files.protocol.wire.FilesCodec;
import org.parley.files.protocol.wire.FilesMessage;
import org.parley.files.protocol.wire.FilesMessage.HaveBitfield;
import org.parley.files.protocol.wire.FilesMessage.ManifestAnswer;
import org.parley.files.protocol.wire.FilesMessage.ManifestRequest;
import org.parley.files.protocol.wire.FilesMessage.PieceRequest;
import org.parley.files.protocol.wire.FilesMessage.Refusal;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.peer.PeerId;

/**
 * The downloader's side of one {@code /parley/files/1.0.0} stream: asks for the manifest, checks
 * it hashes to the file id, reads the peer's have-bitfield, then sends piece requests and reads the
 * answers. It checks framing and the manifest; what to request and what a piece proves is the
 * download's business. Not thread safe: one thread drives a stream.
 */
public final class FilesInitiator implements AutoCloseable {

    private final Stream stream;
    private final InputStream in;
    private final OutputStream out;
    private final Manifest manifest;
    private final byte[] manifestBytes;
    private final BitSet have;
    private final int maxFrame;

    private FilesInitiator(Stream stream, Manifest manifest, byte[] manifestBytes, BitSet have) {
        this.stream = stream;
        this.in = stream.in();
        this.out = stream.out();
        this.manifest = manifest;
        this.manifestBytes = manifestBytes;
        this.have = have;
        this.maxFrame = FilesCodec.maxFrameBytes(manifest.chunkSize());
    }

    /**
     * Asks the peer on {@code stream} for {@code fileId}'s manifest and bitfield. Resets the stream
     * on failure.
     *
     * @throws FileRefusedException if the peer does not share the file
     * @throws PeerFaultException if its answer is malformed or its manifest is not the file's
     */
    public static FilesInitiator open(Stream stream, FileId fileId) throws IOException {
        try {
            FilesCodec.write(stream.out(), new ManifestRequest(fileId));
            stream.out().flush();
            int limit = FilesCodec.MAX_REQUEST_FRAME_BYTES + ManifestCodec.MAX_ENCODED_BYTES;
            FilesMessage answer = FilesCodec.read(stream.in(), limit);
            if (answer instanceof Refusal refusal) {
                throw new FileRefusedException(refusal);
            }
            if (!(answer instanceof ManifestAnswer(byte[] bytes))) {
                throw new PeerFaultException("expected a manifest, got " + answer);
            }
            if (!FileId.ofManifest(bytes).equals(fileId)) {
                throw new PeerFaultException("the peer's manifest does not hash to file id " + fileId);
            }
            Manifest manifest = ManifestCodec.decode(bytes);
            FilesMessage bits = FilesCodec.read(stream.in(), limit);
            if (!(bits instanceof HaveBitfield(byte[] field))) {
                throw new PeerFaultException("expected a have-bitfield after the manifest, got " + bits);
            }
            BitSet have = BitSet.valueOf(field);
            if (have.length() > manifest.chunkCount()) {
                throw new PeerFaultException("have-bitfield names piece " + (have.length() - 1) + " of a file of "
                        + manifest.chunkCount() + " pieces");
            }
            return new FilesInitiator(stream, manifest, bytes, have);
        } catch (IOException | RuntimeException e) {
            stream.reset();
            throw e;
        }
    }

    public PeerId peer() {
        return stream.remotePeer();
    }

    public Manifest manifest() {
        return manifest;
    }

    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    /** The pieces the peer said it had when the stream opened. */
    public BitSet initialPieces() {
        return (BitSet) have.clone();
    }

    /** Queues a piece request; {@link #flush()} sends the queue. */
    public void request(int index) throws IOException {
        if (index < 0 || index >= manifest.chunkCount()) {
            throw new IllegalArgumentException("piece " + index + " of " + manifest.chunkCount());
        }
        FilesCodec.write(out, new PieceRequest(index));
    }

    public void flush() throws IOException {
        out.flush();
    }

    /**
     * The next message from the peer: a piece, a refusal or a have.
     *
     * @throws PeerFaultException if it is anything else or names a piece beyond the file
     * @throws java.io.EOFException if the peer closed the stream
     */
    public FilesMessage next() throws IOException {
        FilesMessage message = FilesCodec.read(in, maxFrame);
        switch (message) {
            case null -> throw new java.io.EOFException("the peer closed the files stream");
            case FilesMessage.Piece p -> checkIndex(p.index());
            case FilesMessage.Have h -> checkIndex(h.index());
            case Refusal r -> { }
            default -> throw new PeerFaultException("unexpected " + message + " during piece transfer");
        }
        return message;
    }

    private void checkIndex(int index) throws PeerFaultException {
        if (index >= manifest.chunkCount()) {
            throw new PeerFaultException("piece " + index + " is beyond the file's " + manifest.chunkCount() + " pieces");
        }
    }

    /** Aborts the stream (a reset): used when the peer misbehaved or the download stops. */
    public void reset() {
        stream.reset();
    }

    /** Ends the stream politely. */
    @Override
    public void close() {
        stream.close();
    }
}
