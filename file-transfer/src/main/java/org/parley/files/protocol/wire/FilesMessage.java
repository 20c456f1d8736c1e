package org.parley.files.protocol.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.parley.files.manifest.FileId;

/**
 * One message of {@code /parley/files/1.0.0}; {@link FilesCodec} turns them into bytes. The arrays
 * given to a record are not copied: whoever builds one hands its arrays over.
 */
public sealed interface FilesMessage {

    /** Initiator, first message: which file the stream is about. */
    record ManifestRequest(FileId fileId) implements FilesMessage {
        public ManifestRequest {
            Objects.requireNonNull(fileId);
        }
    }

    /** Responder: the encoded manifest, whose hash the initiator checks against the file id. */
    record ManifestAnswer(byte[] manifest) implements FilesMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof ManifestAnswer m && Arrays.equals(manifest, m.manifest);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(manifest);
        }
    }

    /** Responder, after the manifest: which pieces it has, bit {@code i} (LSB first in byte i/8) for piece i. */
    record HaveBitfield(byte[] bits) implements FilesMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof HaveBitfield h && Arrays.equals(bits, h.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }
    }

    /** Responder: it has one more piece since its bitfield (a partial seeder). */
    record Have(int index) implements FilesMessage {}

    /** Initiator: send me piece {@code index}. Several may be in flight; answers come in request order. */
    record PieceRequest(int index) implements FilesMessage {}

    /** Responder: a ciphertext chunk and its Merkle proof (sibling hashes, lowest first). */
    record Piece(int index, List<byte[]> proof, byte[] data) implements FilesMessage {
        public Piece {
            proof = List.copyOf(proof);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Piece p) || p.index != index || p.proof.size() != proof.size() || !Arrays.equals(data, p.data)) {
                return false;
            }
            for (int i = 0; i < proof.size(); i++) {
                if (!Arrays.equals(proof.get(i), p.proof.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return 31 * index + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Piece[" + index + ", " + data.length + " bytes]";
        }
    }

    /** Responder: it will not answer; for a piece request {@code index} names the piece, else -1. */
    record Refusal(RefusalReason reason, int index, String detail) implements FilesMessage {
        public Refusal {
            Objects.requireNonNull(reason);
            Objects.requireNonNull(detail);
        }
    }

    /** Why a responder refused. */
    enum RefusalReason {
        /** It does not share the file (or no longer). */
        UNKNOWN_FILE(1),
        /** It lacks the requested piece. */
        DO_NOT_HAVE(2),
        /** More requests in flight than {@code FilesLimits.MAX_REQUESTS_IN_FLIGHT}. */
        TOO_MANY_REQUESTS(3),
        /** It could not read the piece from its disk, or the shared file changed. */
        UNAVAILABLE(4);

        final int code;

        RefusalReason(int code) {
            this.code = code;
        }

        static RefusalReason ofCode(int code) {
            for (RefusalReason r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            return null;
        }
    }
}
