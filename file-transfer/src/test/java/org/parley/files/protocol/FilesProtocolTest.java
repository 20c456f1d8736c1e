package org.parley.files.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.parley.files.manifest.FileId;
import org.parley.files.merkle.MerkleTree;
import org.parley.files.protocol.wire.FilesCodec;
import org.parley.files.protocol.wire.FilesMessage;
import org.parley.files.protocol.wire.FilesMessage.Piece;
import org.parley.files.protocol.wire.FilesMessage.Refusal;
import org.parley.files.protocol.wire.FilesMessage.RefusalReason;
import org.parley.files.share.FileSharer;
import org.parley.files.share.SharedFile;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.transport.memory.MemoryNetwork;

/** The responder and the initiator of /parley/files/1.0.0 against each other on whole in-memory hosts. */
@Timeout(30)
class FilesProtocolTest {

    @TempDir
    Path dir;
    private final MemoryNetwork network = new MemoryNetwork();
    private Host seeder;
    private Host leecher;
    private final PieceSources sources = new PieceSources();
    private SharedFile shared;

    @BeforeEach
    void start() throws Exception {
        byte[] data = new byte[5 * 256 * 1024 + 10];
        new Random(1).nextBytes(data);
        shared = new FileSharer(Clock.systemUTC()).share(Files.write(dir.resolve("data.bin"), data));
        seeder = host();
        leecher = host();
        seeder.setHandler(FilesProtocol.PROTOCOL_ID, new FilesResponder(sources));
        leecher.connect(seeder.listenAddresses().getFirst().withPeerId(seeder.peerId()));
    }

    @AfterEach
    void stop() {
        leecher.close();
        seeder.close();
    }

    private Host host() throws IOException {
        Host host = Libp2p.newHost().identity(Ed25519PrivateKey.generate()).transport(network)
                .listen(List.of(network.newAddress())).build();
        host.start();
        return host;
    }

    private Stream stream() throws IOException {
        return leecher.newStream(seeder.peerId(), FilesProtocol.PROTOCOL_ID);
    }

    /** A source that has the pieces the test gives it, and tells its watchers. */
    private static final class GrowingSource implements PieceSource {
        private final SharedFile inner;
        private final BitSet held = new BitSet();
        private final java.util.List<java.util.function.IntConsumer> watchers = new java.util.concurrent.CopyOnWriteArrayList<>();

        GrowingSource(SharedFile inner) {
            this.inner = inner;
        }

        void gain(int index) {
            synchronized (held) {
                held.set(index);
            }
            watchers.forEach(w -> w.accept(index));
        }

        @Override
        public FileId fileId() {
            return inner.fileId();
        }

        @Override
        public byte[] manifestBytes() {
            return inner.manifestBytes();
        }

        @Override
        public BitSet pieces() {
            synchronized (held) {
                return (BitSet) held.clone();
            }
        }

        @Override
        public Watch watch(java.util.function.IntConsumer onNewPiece) {
            watchers.add(onNewPiece);
            return () -> watchers.remove(onNewPiece);
        }

        @Override
        public Reader openReader() throws IOException {
            return inner.openReader();
        }
    }

    @Test
    void aSourceThatGainsAPieceAnnouncesItAndThenServesIt() throws Exception {
        GrowingSource growing = new GrowingSource(shared);
        growing.gain(1);
        sources.add(growing);
        FilesInitiator session = FilesInitiator.open(stream(), shared.fileId());
        BitSet initially = new BitSet();
        initially.set(1);
        assertThat(session.initialPieces()).isEqualTo(initially);

        growing.gain(3);
        assertThat(session.next()).isEqualTo(new FilesMessage.Have(3));
        session.request(3);
        session.flush();
        FilesMessage answer = session.next();
        assertThat(answer).isInstanceOf(Piece.class);
        assertThat(((Piece) answer).index()).isEqualTo(3);
        session.close();
    }

    @Test
    void aFileThePeerDoesNotShareIsRefused() {
        assertThatThrownBy(() -> FilesInitiator.open(stream(), shared.fileId()))
                .isInstanceOf(FileRefusedException.class)
                .hasMessage("the peer refused: UNKNOWN_FILE (this peer does not share that file)");
    }

    @Test
    void servesPiecesInRequestOrderAndRefusesThoseItLacks() throws Exception {
        sources.add(new EvenPiecesOnly(shared));
        try (FilesInitiator session = FilesInitiator.open(stream(), shared.fileId())) {
            assertThat(session.manifest()).isEqualTo(shared.manifest());
            assertThat(session.initialPieces()).isEqualTo(BitSet.valueOf(new byte[] {0b010101}));
            for (int i = 0; i < 6; i++) {
                session.request(i);
            }
            session.flush();
            for (int i = 0; i < 6; i++) {
                FilesMessage answer = session.next();
                if (i % 2 == 0) {
                    Piece piece = (Piece) answer;
                    assertThat(piece.index()).isEqualTo(i);
                    byte[] leaf = MerkleTree.leafHash(MerkleTree.sha256(), piece.data(), piece.data().length);
                    assertThat(MerkleTree.verify(shared.manifest().root(), 6, i, leaf, piece.proof())).isTrue();
                } else {
                    assertThat(answer).isEqualTo(new Refusal(RefusalReason.DO_NOT_HAVE, i, "this peer does not have piece " + i));
                }
            }
        }
    }

    @Test
    void aManifestThatDoesNotHashToTheFileIdIsAPeerFault() {
        FileId other = FileId.ofManifest(new byte[] {42});
        sources.add(new EvenPiecesOnly(shared) {
            @Override
            public FileId fileId() {
                return other;
            }
        });
        assertThatThrownBy(() -> FilesInitiator.open(stream(), other))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("the peer's manifest does not hash to file id " + other);
    }

    @Test
    void aStreamThatDoesNotStartWithAManifestRequestIsReset() throws Exception {
        sources.add(shared);
        Stream stream = stream();
        FilesCodec.write(stream.out(), new FilesMessage.PieceRequest(0));
        stream.out().flush();
        assertThatThrownBy(() -> FilesCodec.read(stream.in(), FilesCodec.MAX_FRAME_BYTES)).isInstanceOf(IOException.class);
    }

    /** A partial seeder: it has the even pieces only. */
    private static class EvenPiecesOnly implements PieceSource {
        private final SharedFile inner;

        EvenPiecesOnly(SharedFile inner) {
            this.inner = inner;
        }

        @Override
        public FileId fileId() {
            return inner.fileId();
        }

        @Override
        public byte[] manifestBytes() {
            return inner.manifestBytes();
        }

        @Override
        public BitSet pieces() {
            BitSet even = new BitSet();
            for (int i = 0; i < inner.manifest().chunkCount(); i += 2) {
                even.set(i);
            }
            return even;
        }

        @Override
        public Reader openReader() throws IOException {
            return inner.openReader();
        }
    }
}
