package org.parley.files.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.parley.files.crypto.FileKey;
import org.parley.files.link.FileLink;
import org.parley.files.protocol.FilesLimits;
import org.parley.files.share.SharedFile;
import org.parley.files.store.FileBitfieldStore;
import org.parley.files.store.FilePieceStore;
import org.parley.files.store.PieceStore;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.peer.PeerId;

/** Swarms of whole hosts on the in-memory transport: seeders serve a shared file, leechers fetch, verify and assemble it. */
@Timeout(120)
class SwarmDownloadTest {

    /** 33 pieces of 256 KiB, the last one short. */
    private static final int FILE_SIZE = 8 * 1024 * 1024 + 12_345;

    @TempDir
    Path dir;
    private Swarms swarms;
    private Path original;
    private SharedFile shared;

    @BeforeEach
    void share() throws Exception {
        swarms = new Swarms(dir);
        Files.createDirectories(dir.resolve("src"));
        original = new Swarms(dir.resolve("src")).randomFile("holiday photos.tar", FILE_SIZE, 42);
        shared = Swarms.share(original);
    }

    @AfterEach
    void close() {
        swarms.close();
    }

    @Test
    void oneSeederServesFiveLeechersAtOnce() throws Exception {
        CountingSource source = new CountingSource(shared, shared.manifest().chunkCount(), false);
        Host seeder = swarms.startSeeder(source);
        FileLink link = Swarms.link(shared, List.of(seeder));
        List<Download> downloads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Host leecher = swarms.startHost();
            Path out = Files.createDirectories(dir.resolve("out" + i));
            Download download = Swarms.download(leecher, link, out, dir.resolve("state" + i), new DownloadListener() {});
            download.start();
            downloads.add(download);
        }
        for (Download download : downloads) {
            Path file = download.await();
            assertThat(Files.mismatch(file, original)).isEqualTo(-1);
            assertThat(download.state()).isEqualTo(Download.State.DONE);
            assertThat(download.progress().piecesDone()).isEqualTo(33);
            assertThat(download.progress().bytesDone()).isEqualTo(FILE_SIZE);
        }
        assertThat(source.totalServed()).isGreaterThanOrEqualTo(5 * 33);
        // The partial pieces and the bitfield are gone once the file is in place; nothing else is left beside it.
        assertThat(dir.resolve("state0/pieces")).doesNotExist();
        assertThat(dir.resolve("state0/bitfield")).doesNotExist();
        try (var files = Files.list(dir.resolve("out0"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("holiday photos.tar");
        }
    }

    @Test
    void aFinishedDownloadIsServedAgainUnderTheSameFileId() throws Exception {
        Host seeder = swarms.startSeeder(shared);
        FileLink link = Swarms.link(shared, List.of(seeder));
        Host firstLeecher = swarms.startHost();
        Download first = Swarms.download(firstLeecher, link, Files.createDirectories(dir.resolve("out1")), dir.resolve("s1"),
                new DownloadListener() {});
        first.start();
        Path downloaded = first.await();
        seeder.close();

        SharedFile reseeded = new org.parley.files.share.FileSharer(java.time.Clock.systemUTC())
                .reopen(downloaded, link.key(), first.manifest());
        assertThat(reseeded.fileId()).isEqualTo(shared.fileId());
        org.parley.files.protocol.PieceSources sources = new org.parley.files.protocol.PieceSources();
        sources.add(reseeded);
        firstLeecher.setHandler(org.parley.files.protocol.FilesProtocol.PROTOCOL_ID, new org.parley.files.protocol.FilesResponder(sources));
        FileLink fromLeecher = new FileLink(link.fileId(), link.name(), link.size(), List.of(Swarms.addressOf(firstLeecher)), link.key());
        Download second = Swarms.download(swarms.startHost(), fromLeecher, Files.createDirectories(dir.resolve("out2")), dir.resolve("s2"),
                new DownloadListener() {});
        second.start();

        assertThat(Files.mismatch(second.await(), original)).isEqualTo(-1);
    }

    @Test
    void aLeecherServesThePiecesItHasAndAPeerWithNothingMoreIsLeft() throws Exception {
        int pieces = shared.manifest().chunkCount();
        Host seeder = swarms.startSeeder(shared);
        FileLink link = Swarms.link(shared, List.of(seeder));
        Host partialHost = swarms.startHost();
        java.util.concurrent.CountDownLatch pausedLatch = new java.util.concurrent.CountDownLatch(1);
        Download[] holder = new Download[1];
        holder[0] = Swarms.download(partialHost, link, Files.createDirectories(dir.resolve("out1")), dir.resolve("s1"), new DownloadListener() {
            @Override
            public void onProgress(DownloadProgress progress) {
                if (progress.piecesDone() >= pieces / 2 && pausedLatch.getCount() > 0) {
                    holder[0].pause();
                    pausedLatch.countDown();
                }
            }
        });
        holder[0].start();
        pausedLatch.await();
        // A piece its worker had verified when the pause came may still be stored: the pieces held
        // are settled once no worker runs.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (holder[0].progress().peers() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(holder[0].progress().peers()).as("workers still running after the pause").isZero();
        org.parley.files.protocol.PieceSource partial = holder[0].asPieceSource();
        org.parley.files.protocol.PieceSources sources = new org.parley.files.protocol.PieceSources();
        sources.add(partial);
        partialHost.setHandler(org.parley.files.protocol.FilesProtocol.PROTOCOL_ID, new org.parley.files.protocol.FilesResponder(sources));
        BitSet held = partial.pieces();
        assertThat(held.cardinality()).isBetween(pieces / 2, pieces - 1);

        FileLink fromPartial = new FileLink(link.fileId(), link.name(), link.size(), List.of(Swarms.addressOf(partialHost)), link.key());
        ConcurrentHashMap<PeerId, String> dropped = new ConcurrentHashMap<>();
        Download second = Swarms.download(swarms.startHost(), fromPartial, Files.createDirectories(dir.resolve("out2")), dir.resolve("s2"),
                new DownloadListener() {
                    @Override
                    public void onPeerDropped(PeerId peer, String why) {
                        dropped.put(peer, why);
                    }
                });
        // A paused download announces nothing: a short patience lets the second give up on it soon.
        second.partialSeederPatience(java.time.Duration.ofMillis(200));
        second.start();

        assertThatThrownBy(second::await)
                .isInstanceOf(DownloadException.class)
                .hasMessage("no peer could send the rest of the file (" + (pieces - held.cardinality()) + " of " + pieces
                        + " pieces missing); the verified pieces are kept, resume when a seeder is online");
        assertThat(dropped).containsEntry(partialHost.peerId(), "it has none of the missing pieces");
        assertThat(new FileBitfieldStore(dir.resolve("s2/bitfield")).load()).isEqualTo(held);
    }

    @Test
    void aPartialSeederAnnouncesEachNewPieceAndItsLeecherFinishesFromItAlone() throws Exception {
        int pieces = shared.manifest().chunkCount();
        // The seeder sends a piece only when the test releases a permit.
        java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(0);
        CountingSource gated = new CountingSource(shared, pieces, false);
        gated.afterEachPiece(total -> permits.acquireUninterruptibly());
        Host seeder = swarms.startSeeder(gated);
        FileLink link = Swarms.link(shared, List.of(seeder));
        Host firstHost = swarms.startHost();
        java.util.concurrent.CountDownLatch firstHasTwo = new java.util.concurrent.CountDownLatch(1);
        Download first = Swarms.download(firstHost, link, Files.createDirectories(dir.resolve("out1")), dir.resolve("s1"),
                new DownloadListener() {
                    @Override
                    public void onProgress(DownloadProgress progress) {
                        if (progress.piecesDone() >= 2) {
                            firstHasTwo.countDown();
                        }
                    }
                });
        first.start();
        permits.release(2);
        firstHasTwo.await();
        org.parley.files.protocol.PieceSources sources = new org.parley.files.protocol.PieceSources();
        sources.add(first.asPieceSource());
        firstHost.setHandler(org.parley.files.protocol.FilesProtocol.PROTOCOL_ID, new org.parley.files.protocol.FilesResponder(sources));

        // The second knows only the first, which holds 2 of the pieces when the second connects.
        FileLink fromFirst = new FileLink(link.fileId(), link.name(), link.size(), List.of(Swarms.addressOf(firstHost)), link.key());
        java.util.concurrent.CountDownLatch secondHasTwo = new java.util.concurrent.CountDownLatch(1);
        ConcurrentHashMap<PeerId, String> dropped = new ConcurrentHashMap<>();
        Download second = Swarms.download(swarms.startHost(), fromFirst, Files.createDirectories(dir.resolve("out2")), dir.resolve("s2"),
                new DownloadListener() {
                    @Override
                    public void onProgress(DownloadProgress progress) {
                        if (progress.piecesDone() >= 2) {
                            secondHasTwo.countDown();
                        }
                    }

                    @Override
                    public void onPeerDropped(PeerId peer, String why) {
                        dropped.put(peer, why);
                    }
                });
        second.start();
        secondHasTwo.await();
        assertThat(second.progress().piecesDone()).isEqualTo(first.progress().piecesDone());

        // Now the first gets the rest; each piece it verifies reaches the second as a have.
        permits.release(pieces + FilesLimits.MAX_REQUESTS_IN_FLIGHT);
        assertThat(Files.mismatch(first.await(), original)).isEqualTo(-1);
        assertThat(Files.mismatch(second.await(), original)).isEqualTo(-1);
        assertThat(dropped).isEmpty();
    }

    @Test
    void threeSeedersToOneLeecherSendEachPieceOnceBeforeTheEndgame() throws Exception {
        int pieces = shared.manifest().chunkCount();
        List<CountingSource> sources = new ArrayList<>();
        List<Host> seeders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CountingSource source = new CountingSource(shared, pieces, false);
            sources.add(source);
            seeders.add(swarms.startSeeder(source));
        }
        Host leecher = swarms.startHost();
        Download download = Swarms.download(leecher, Swarms.link(shared, seeders), Files.createDirectories(dir.resolve("out")),
                dir.resolve("state"), new DownloadListener() {});
        download.start();

        Path file = download.await();

        assertThat(Files.mismatch(file, original)).isEqualTo(-1);
        int total = 0;
        for (int i = 0; i < pieces; i++) {
            int copies = 0;
            for (CountingSource source : sources) {
                copies += source.served.get(i);
            }
            assertThat(copies).as("piece %d: once, or from at most %d peers in endgame", i, FilesLimits.MAX_ENDGAME_REQUESTERS)
                    .isBetween(1, FilesLimits.MAX_ENDGAME_REQUESTERS);
            total += copies;
        }
        // Endgame starts once every missing piece is in flight, so only those few can be asked twice:
        // at most each peer's window of requests.
        assertThat(total - pieces).as("endgame duplicates").isLessThanOrEqualTo(3 * FilesLimits.MAX_REQUESTS_IN_FLIGHT);
    }

    @Test
    void aSeederKilledMidwayLeavesTheOthersToFinish() throws Exception {
        int pieces = shared.manifest().chunkCount();
        CountingSource doomed = new CountingSource(shared, pieces, false);
        Host doomedHost = swarms.startSeeder(doomed);
        Host other1 = swarms.startSeeder(new CountingSource(shared, pieces, false));
        Host other2 = swarms.startSeeder(new CountingSource(shared, pieces, false));
        Host leecher = swarms.startHost();
        for (Host other : List.of(other1, other2)) {
            leecher.peerstore().addAddresses(other.peerId(), other.listenAddresses(), org.parley.libp2p.host.Peerstore.TEMPORARY_TTL);
        }
        // At first only the doomed seeder is known; after its third piece the others join and it dies.
        FileLink link = Swarms.link(shared, List.of(doomedHost));
        Download download = Swarms.download(leecher, link, Files.createDirectories(dir.resolve("out")), dir.resolve("state"),
                new DownloadListener() {});
        AtomicBoolean killed = new AtomicBoolean();
        doomed.afterEachPiece(total -> {
            if (total == 3 && killed.compareAndSet(false, true)) {
                download.addSources(List.of(other1.peerId(), other2.peerId()));
                Thread.ofVirtual().start(doomedHost::close);
            }
        });
        download.start();

        Path file = download.await();

        assertThat(killed).isTrue();
        assertThat(Files.mismatch(file, original)).isEqualTo(-1);
        // The others sent what the killed seeder did not.
        assertThat(doomed.totalServed()).isLessThan(pieces);
        assertThat(download.progress().piecesDone()).isEqualTo(pieces);
    }

    @Test
    void aPeerServingCorruptPiecesIsDroppedAndTheFileIsStillRight() throws Exception {
        int pieces = shared.manifest().chunkCount();
        CountingSource liar = new CountingSource(shared, pieces, true);
        Host liarHost = swarms.startSeeder(liar);
        Host honest = swarms.startSeeder(new CountingSource(shared, pieces, false));
        FileLink link = Swarms.link(shared, List.of(liarHost, honest));
        ConcurrentHashMap<PeerId, String> dropped = new ConcurrentHashMap<>();
        Download download = Swarms.download(swarms.startHost(), link, Files.createDirectories(dir.resolve("out")), dir.resolve("state"),
                new DownloadListener() {
                    @Override
                    public void onPeerDropped(PeerId peer, String why) {
                        dropped.put(peer, why);
                    }
                });
        download.start();

        Path file = download.await();

        assertThat(Files.mismatch(file, original)).isEqualTo(-1);
        assertThat(dropped).containsOnlyKeys(liarHost.peerId());
        assertThat(dropped.get(liarHost.peerId())).isEqualTo("it sent 2 pieces that fail their proof");
        assertThat(liar.totalServed()).isBetween(2, 2 + 4); // dropped at the second bad piece; at most a pipeline more was sent
    }

    @Test
    void aRestartResumesWithoutFetchingAnyVerifiedPieceAgain() throws Exception {
        int pieces = shared.manifest().chunkCount();
        CountingSource source = new CountingSource(shared, pieces, false);
        Host seeder = swarms.startSeeder(source);
        FileLink link = Swarms.link(shared, List.of(seeder));
        Path out = Files.createDirectories(dir.resolve("out"));
        AtomicBoolean paused = new AtomicBoolean();
        java.util.concurrent.CountDownLatch pausedLatch = new java.util.concurrent.CountDownLatch(1);
        Download[] holder = new Download[1];
        Download first = Swarms.download(swarms.startHost(), link, out, dir.resolve("state"), new DownloadListener() {
            @Override
            public void onProgress(DownloadProgress progress) {
                if (progress.piecesDone() >= pieces / 2 && paused.compareAndSet(false, true)) {
                    holder[0].pause();
                    pausedLatch.countDown();
                }
            }
        });
        holder[0] = first;
        first.start();
        pausedLatch.await();
        assertThat(first.state()).isEqualTo(Download.State.PAUSED);
        BitSet saved = new FileBitfieldStore(dir.resolve("state/bitfield")).load();
        assertThat(saved.cardinality()).isBetween(pieces / 2, pieces - 1);
        int[] servedBefore = new int[pieces];
        for (int i = 0; i < pieces; i++) {
            servedBefore[i] = source.served.get(i);
        }

        // A new host and a new download over the same state: what a restarted node does.
        Download second = Swarms.download(swarms.startHost(), link, out, dir.resolve("state"), new DownloadListener() {});
        second.start();
        Path file = second.await();

        assertThat(Files.mismatch(file, original)).isEqualTo(-1);
        List<Integer> fetchedAgain = new ArrayList<>();
        for (int i = saved.nextSetBit(0); i >= 0; i = saved.nextSetBit(i + 1)) {
            if (source.served.get(i) != servedBefore[i]) {
                fetchedAgain.add(i);
            }
        }
        assertThat(fetchedAgain).as("verified pieces fetched again").isEmpty();
        int fetchedAfterRestart = 0;
        for (int i = 0; i < pieces; i++) {
            fetchedAfterRestart += source.served.get(i) - servedBefore[i];
        }
        assertThat(fetchedAfterRestart).isEqualTo(pieces - saved.cardinality());
    }

    @Test
    void aFullDiskFailsWithAClearErrorAndLeavesNoFile() throws Exception {
        Host seeder = swarms.startSeeder(shared);
        FileLink link = Swarms.link(shared, List.of(seeder));
        Path out = Files.createDirectories(dir.resolve("out"));
        Path state = Files.createDirectories(dir.resolve("state"));
        AtomicLong written = new AtomicLong();
        long capacity = 3 * 1024 * 1024;
        Download download = new Download(swarms.startHost(), link, out.resolve(link.name()),
                chunkSize -> new FullDiskStore(new FilePieceStore(state.resolve("pieces"), chunkSize), written, capacity),
                new FileBitfieldStore(state.resolve("bitfield")), new DownloadListener() {}, java.time.Clock.systemUTC());
        download.start();

        assertThatThrownBy(download::await)
                .isInstanceOf(DownloadException.class)
                .hasMessage("cannot write the download's pieces: No space left on device (is the disk full?); free space and resume")
                .satisfies(e -> assertThat(((DownloadException) e).reason()).isEqualTo(DownloadException.Reason.STORAGE));
        assertThat(download.state()).isEqualTo(Download.State.FAILED);
        try (var files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aMissingOrOccupiedTargetIsRefusedBeforeAnythingIsFetched() throws Exception {
        Host seeder = swarms.startSeeder(shared);
        FileLink link = Swarms.link(shared, List.of(seeder));
        Host leecher = swarms.startHost();
        Path missing = dir.resolve("no-such-dir");
        Download intoMissing = Swarms.download(leecher, link, missing, dir.resolve("s1"), new DownloadListener() {});
        assertThatThrownBy(intoMissing::start)
                .isInstanceOf(DownloadException.class)
                .hasMessage("cannot save to " + missing.toAbsolutePath() + ": it is not a directory; create it or choose another one");

        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        Download intoFile = Swarms.download(leecher, link, notADir, dir.resolve("s2"), new DownloadListener() {});
        assertThatThrownBy(intoFile::start)
                .isInstanceOf(DownloadException.class)
                .satisfies(e -> assertThat(((DownloadException) e).reason()).isEqualTo(DownloadException.Reason.TARGET_UNWRITABLE));

        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve(link.name()), "mine");
        Download overExisting = Swarms.download(leecher, link, out, dir.resolve("s3"), new DownloadListener() {});
        assertThatThrownBy(overExisting::start)
                .isInstanceOf(DownloadException.class)
                .hasMessage(out.resolve(link.name()).toAbsolutePath() + " already exists; move it away or choose another directory");
        assertThat(out.resolve(link.name())).hasContent("mine");
    }

    @Test
    void aLinkWithTheWrongKeyIsRefusedAndNothingIsWritten() throws Exception {
        Host seeder = swarms.startSeeder(shared);
        FileLink good = Swarms.link(shared, List.of(seeder));
        FileLink wrongKey = new FileLink(good.fileId(), good.name(), good.size(), good.peers(), FileKey.generate());
        Path out = Files.createDirectories(dir.resolve("out"));
        Download download = Swarms.download(swarms.startHost(), wrongKey, out, dir.resolve("state"), new DownloadListener() {});
        download.start();

        assertThatThrownBy(download::await)
                .isInstanceOf(DownloadException.class)
                .hasMessage("the link's key does not open the file its peers serve; ask the sender for the link again");
        try (var files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aPausedDownloadResumesAndFinishes() throws Exception {
        int pieces = shared.manifest().chunkCount();
        CountingSource source = new CountingSource(shared, pieces, false);
        Host seeder = swarms.startSeeder(source);
        FileLink link = Swarms.link(shared, List.of(seeder));
        Path out = Files.createDirectories(dir.resolve("out"));
        Download[] holder = new Download[1];
        AtomicBoolean paused = new AtomicBoolean();
        java.util.concurrent.CountDownLatch pausedLatch = new java.util.concurrent.CountDownLatch(1);
        holder[0] = Swarms.download(swarms.startHost(), link, out, dir.resolve("state"), new DownloadListener() {
            @Override
            public void onProgress(DownloadProgress progress) {
                if (progress.piecesDone() >= 5 && paused.compareAndSet(false, true)) {
                    holder[0].pause();
                    pausedLatch.countDown();
                }
            }
        });
        holder[0].start();
        pausedLatch.await();
        assertThat(holder[0].state()).isEqualTo(Download.State.PAUSED);
        int servedWhilePaused = source.totalServed();

        holder[0].resume();
        Path file = holder[0].await();

        assertThat(servedWhilePaused).isLessThan(pieces);
        assertThat(Files.mismatch(file, original)).isEqualTo(-1);
        assertThat(holder[0].state()).isEqualTo(Download.State.DONE);
    }

    @Test
    void cancelDeletesThePartialDownload() throws Exception {
        CountingSource source = new CountingSource(shared, shared.manifest().chunkCount(), false);
        Host seeder = swarms.startSeeder(source);
        FileLink link = Swarms.link(shared, List.of(seeder));
        Path out = Files.createDirectories(dir.resolve("out"));
        Download[] holder = new Download[1];
        holder[0] = Swarms.download(swarms.startHost(), link, out, dir.resolve("state"), new DownloadListener() {
            @Override
            public void onProgress(DownloadProgress progress) {
                if (progress.piecesDone() == 3) {
                    holder[0].cancel();
                }
            }
        });
        holder[0].start();

        assertThatThrownBy(holder[0]::await)
                .isInstanceOf(DownloadException.class)
                .hasMessage("the download was cancelled");
        assertThat(holder[0].state()).isEqualTo(Download.State.CANCELLED);
        assertThat(dir.resolve("state/pieces")).doesNotExist();
        assertThat(dir.resolve("state/bitfield")).doesNotExist();
        try (var files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    /** Fails every write once {@code capacity} bytes are written, as a full disk does. */
    private record FullDiskStore(PieceStore inner, AtomicLong written, long capacity) implements PieceStore {
        @Override
        public void write(int index, byte[] data, int length) throws IOException {
            if (written.addAndGet(length) > capacity) {
                throw new IOException("No space left on device");
            }
            inner.write(index, data, length);
        }

        @Override
        public void read(int index, byte[] out, int length) throws IOException {
            inner.read(index, out, length);
        }

        @Override
        public void sync() throws IOException {
            inner.sync();
        }

        @Override
        public void moveTo(Path destination) throws IOException {
            inner.moveTo(destination);
        }

        @Override
        public void delete() throws IOException {
            inner.delete();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
