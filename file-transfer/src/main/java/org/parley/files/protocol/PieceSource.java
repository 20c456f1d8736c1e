package org.parley.files.protocol;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntConsumer;
import org.parley.files.manifest.FileId;

/**
 * A file a responder can serve pieces of: a shared file read from where it is, or a
 * download in progress (whose new pieces {@link #watch} reports). Thread safe; {@link #openReader()} gives each stream its own reader.
 */
public interface PieceSource {

    FileId fileId();

    /** The encoded manifest, exactly the bytes whose hash is the file id. */
    byte[] manifestBytes();

    /** The pieces this source has now. */
    BitSet pieces();

    /**
     * Calls {@code onNewPiece} with each piece this source gains from now on (a download in
     * progress verifies more), until the returned watch is closed; the responder announces them as
     * have messages. A source that never gains pieces (a whole shared file) keeps the default, which
     * never calls. The callback runs on the thread that verified the piece: it must not block.
     */
    default Watch watch(IntConsumer onNewPiece) {
        return () -> { };
    }

    /** A registration made by {@link #watch}; closing it stops the calls. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /** A reader for one stream; not thread safe. */
    Reader openReader() throws IOException;

    /** Reads sealed pieces and their proofs for one responder stream. Not thread safe. */
    interface Reader extends AutoCloseable {

        /**
         * The sealed chunk {@code index} and its Merkle proof. Its data may be the reader's own
         * buffer, which the next read overwrites: use it (the responder sends it) before reading on.
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
