package org.parley.files.download;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.parley.files.link.FileLink;
import org.parley.files.protocol.FilesProtocol;
import org.parley.files.protocol.FilesResponder;
import org.parley.files.protocol.PieceSource;
import org.parley.files.protocol.PieceSources;
import org.parley.files.share.FileSharer;
import org.parley.files.share.SharedFile;
import org.parley.files.store.FileBitfieldStore;
import org.parley.files.store.FilePieceStore;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.transport.memory.MemoryNetwork;

/** Whole hosts on one in-memory network for swarm tests: seeders serving a file, leechers fetching it. Closes all it made. */
final class Swarms implements AutoCloseable {

    final MemoryNetwork network = new MemoryNetwork();
    final Path dir;
    private final List<Host> hosts = new ArrayList<>();

    Swarms(Path dir) {
        this.dir = dir;
    }

    Host startHost() throws IOException {
        Host host = Libp2p.newHost()
                .identity(Ed25519PrivateKey.generate())
                .transport(network)
                .listen(List.of(network.newAddress()))
                .build();
        hosts.add(host);
        host.start();
        return host;
    }

    /** A host that serves {@code source}. */
    Host startSeeder(PieceSource source) throws IOException {
        Host host = startHost();
        PieceSources sources = new PieceSources();
        sources.add(source);
        host.setHandler(FilesProtocol.PROTOCOL_ID, new FilesResponder(sources));
        return host;
    }

    static Multiaddr addressOf(Host host) {
        return host.listenAddresses().getFirst().withPeerId(host.peerId());
    }

    /** A file of {@code size} random bytes (seeded, so runs repeat). */
    Path randomFile(String name, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Path file = dir.resolve(name);
        Files.write(file, data);
        return file;
    }

    static SharedFile share(Path file) throws Exception {
        return new FileSharer(Clock.systemUTC()).share(file);
    }

    static FileLink link(SharedFile shared, List<Host> seeders) {
        return new FileLink(shared.fileId(), shared.path().getFileName().toString(), shared.manifest().size(),
                seeders.stream().map(Swarms::addressOf).toList(), shared.key());
    }

    /** A download by {@code leecher} into {@code outDir}, its pieces and bitfield under {@code stateDir}. */
    static Download download(Host leecher, FileLink link, Path outDir, Path stateDir, DownloadListener listener) throws IOException {
        Files.createDirectories(stateDir);
        return new Download(leecher, link, outDir.resolve(link.name()),
                chunkSize -> new FilePieceStore(stateDir.resolve("pieces"), chunkSize),
                new FileBitfieldStore(stateDir.resolve("bitfield")), listener, Clock.systemUTC());
    }

    @Override
    public void close() {
        for (Host host : hosts.reversed()) {
            host.close();
        }
    }
}
