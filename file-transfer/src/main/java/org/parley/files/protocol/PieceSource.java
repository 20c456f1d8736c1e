package org.parley.files.protocol;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import org.parley.files.manifest.FileId;

/**
 * A file a responder can serve pieces of: a shared file read from where it is, or (later) a
 * download in progress. Thread safe; {@link #openReader()} gives each stream its own reader.
 */
public interface PieceSource {

    FileId fileId();

    /** The encoded manifest, exactly the bytes whose hash is the file id. */
    byte[] manifestBytes();

    /** The pieces this source has now. */
    BitSet pieces();

    /** A reader for one stream; not thread safe. */
    Reader openReader() throws IOException;

    /** Reads sealed pieces and their proofs for one responder stream. Not thread safe. */
    interface Reader extends AutoCloseable {

        /**
         * The sealed chunk {@code index} and its Merkle proof.
         *
         * @throws IOException if it cannot be read, or what is read no longer matches the manifest
         *     (the shared file changed); the responder refuses the piece
         */
        SealedPiece read(int index) throws IOException;

        @Override
        void close();
    }

    /** A sealed chunk and its proof. */
    record SealedPiece(byte[] data, List<byte[]> proof) {}
}
