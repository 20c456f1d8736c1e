package org.parley.node.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.dht.KadDht;
import org.parley.dht.routing.PeerRef;
import org.parley.files.crypto.FileKey;
import org.parley.files.download.Download;
import org.parley.files.download.DownloadException;
import org.parley.files.download.DownloadListener;
import org.parley.files.download.DownloadProgress;
import org.parley.files.link.FileLink;
import org.parley.files.link.InvalidFileLinkException;
import org.parley.files.manifest.FileId;
import org.parley.files.manifest.Manifest;
import org.parley.files.manifest.ManifestCodec;
import org.parley.files.merkle.MerkleTree;
import org.parley.files.protocol.FilesLimits;
import org.parley.files.protocol.PieceSource;
import org.parley.files.protocol.PieceSources;
import org.parley.files.share.FileSharer;
import org.parley.files.share.ShareException;
import org.parley.files.share.SharedFile;
import org.parley.files.store.FileBitfieldStore;
import org.parley.files.store.FilePieceStore;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.ListenAddresses;
import org.parley.node.events.EventBus;
import org.parley.node.events.NodeEvent;
import org.parley.node.service.ServiceException;
import org.parley.node.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's file sharing: shares (files served from where they lie), downloads (fetched from the
 * link's peer hints and the DHT's providers into {@code <data dir>/downloads/}, then moved into
 * their directory), the {@link PieceSources} the {@code /parley/files/1.0.0} responder serves, the
 * DHT provider records (re-announced by the DHT every
 * {@link org.parley.dht.DhtConfig#DEFAULT_REPUBLISH_INTERVAL 22 h} until unshared), their rows in
 * the database, and their events. Thread safe; long work (hashing a file, DHT lookups) blocks the
 * caller or runs on virtual threads of its own.
 */
public final class FilesService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FilesService.class);

    /** How many providers a download asks the DHT for: as many as it fetches from at once. */
    static final int PROVIDER_LOOKUP_LIMIT = FilesLimits.MAX_PEERS_PER_DOWNLOAD;
    /**
     * How long a provider's addresses from the DHT stay in the peerstore: the length of a download
     * is unknown, and the DHT republishes (and a new lookup refreshes them) well within a day.
     */
    static final Duration PROVIDER_ADDRESS_TTL = Duration.ofHours(1);

    static final String SEEDING = "seeding";
    static final String VERIFYING = "verifying";
    static final String UNSHARED = "unshared";
    static final String RUNNING = "running";
    static final String PAUSED = "paused";
    static final String DONE = "done";
    static final String FAILED = "failed";
    static final String CANCELLED = "cancelled";

    private final Host host;
    private final KadDht dht;
    private final FilesStore store;
    private final EventBus events;
    private final InstantSource clock;
    private final Path downloadsDir;
    private final TokenBucket downloadRate;
    private final FileSharer sharer;
    private final PieceSources sources = new PieceSources();
    private final Map<String, Share> shares = new ConcurrentHashMap<>();
    private final Map<String, Transfer> downloads = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A file this node serves; {@code file} is null while it is read again after a restart. */
    private static final class Share {
        final String fileId;
        final Path path;
        volatile SharedFile file;
        volatile FileLink link;
        volatile String state;

        Share(String fileId, Path path, String state) {
            this.fileId = fileId;
            this.path = path;
            this.state = state;
        }
    }

    /** A download and what the node keeps beside it. Guarded by its own monitor. */
    private final class Transfer implements DownloadListener {
        final FileLink link;
        final String fileId;
        final Path outDir;
        final AtomicInteger fetched = new AtomicInteger();
        final ProgressThrottle throttle = new ProgressThrottle(clock);
        final java.util.concurrent.atomic.AtomicBoolean providing = new java.util.concurrent.atomic.AtomicBoolean();
        /** Read without the monitor by the download's own threads (progress); written under it. */
        volatile Download download;
        String state;
        String error;

        Transfer(FileLink link, Path outDir, String state) {
            this.link = link;
            this.fileId = link.fileId().toString();
            this.outDir = outDir;
            this.state = state;
        }

        Path target() {
            return outDir.resolve(link.name());
        }

        @Override
        public void onProgress(DownloadProgress progress) {
            servePartial(this);
            if (throttle.tryAcquire() || progress.piecesDone() == progress.piecesTotal()) {
                events.publish(new NodeEvent.TransferProgress(fileId, progress.bytesDone(), progress.bytesTotal(),
                        progress.bytesPerSecond(), eta(progress), progress.peers(), progress.piecesDone(),
                        progress.piecesTotal()));
            }
        }

        @Override
        public void onPeerDropped(PeerId peer, String why) {
            log.info("download {}: dropped peer {}: {}", fileId, peer, why);
        }
    }

    /**
     * @param downloadsDir where partial downloads are kept ({@code <data dir>/downloads}); created
     *     when the first download starts
     */
    FilesService(Host host, KadDht dht, FilesStore store, EventBus events, InstantSource clock, Path downloadsDir) {
        this(host, dht, store, events, clock, downloadsDir, new TokenBucket(TokenBucket.UNLIMITED));
    }

    /** @param downloadRate what all downloads' pieces pass through: the user's download limit */
    FilesService(Host host, KadDht dht, FilesStore store, EventBus events, InstantSource clock, Path downloadsDir,
            TokenBucket downloadRate) {
        this.downloadRate = downloadRate;
        this.host = host;
        this.dht = dht;
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.downloadsDir = downloadsDir;
        this.sharer = new FileSharer(clock(clock));
    }

    /** The files the {@code /parley/files/1.0.0} responder serves. */
    PieceSources sources() {
        return sources;
    }

    // ---- shares ----

    /**
     * Shares {@code path} from where it lies: encrypts and hashes it (one pass; this blocks for as
     * long as reading the file takes), serves it, records it and announces it on the DHT.
     *
     * @throws ServiceException BAD_INPUT if the file is missing, unreadable, empty, too large, or
     *     already shared
     */
    public TransferView share(Path path) {
        Path file = path.toAbsolutePath().normalize();
        for (Share existing : shares.values()) {
            if (existing.path.equals(file)) {
                // A second share would pick a new key and so a new file id: two links for one file.
                throw ServiceException.badInput(file + " is already shared as " + existing.fileId
                        + "; parley transfers shows its link");
            }
        }
        SharedFile shared;
        try {
            shared = sharer.share(file);
        } catch (ShareException e) {
            throw ServiceException.badInput(e.getMessage());
        }
        String fileId = shared.fileId().toString();
        Share share = new Share(fileId, file, SEEDING);
        share.file = shared;
        share.link = linkOf(shared);
        try {
            store.putShare(fileId, file, shared.key().bytes(), shared.manifestBytes());
        } catch (StorageException e) {
            throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "cannot record the share: " + e.getMessage(), e);
        }
        shares.put(fileId, share);
        sources.add(shared);
        provideInBackground(shared.fileId());
        events.publish(new NodeEvent.TransferState(fileId, TransferView.SHARE, share.link.name(), SEEDING, null));
        log.info("sharing {} ({} bytes)", fileId, shared.manifest().size());
        return view(share);
    }

    /**
     * Stops serving and announcing a shared file. The file itself is left alone.
     *
     * @throws ServiceException NOT_FOUND if the node does not share it
     */
    public TransferView unshare(String id) {
        Share share = shares.remove(id.strip());
        if (share == null) {
            throw ServiceException.notFound("this node does not share " + id.strip() + "; parley transfers lists what it"
                    + " shares");
        }
        FileId fileId = FileId.parse(share.fileId);
        sources.remove(fileId);
        dht.stopProviding(fileId.bytes());
        try {
            store.deleteShare(share.fileId);
        } catch (StorageException e) {
            throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "stopped sharing, but cannot forget the share"
                    + " in the database (it comes back at the next start): " + e.getMessage(), e);
        }
        share.state = UNSHARED;
        events.publish(new NodeEvent.TransferState(share.fileId, TransferView.SHARE, name(share), UNSHARED, null));
        return view(share);
    }

    // ---- downloads ----

    /**
     * Starts downloading the file of {@code linkText} into {@code outDir}: from the link's peer
     * hints and the DHT's providers, its pieces kept under the data dir until the file is whole. A
     * download of the same file already under way is returned as it is.
     *
     * @throws ServiceException BAD_INPUT for a malformed link, a directory that cannot take the
     *     file, a file already there, or a file this node shares
     */
    public TransferView get(String linkText, Path outDir) {
        FileLink link;
        try {
            link = FileLink.parse(linkText);
        } catch (InvalidFileLinkException e) {
            throw ServiceException.badInput("bad link: " + e.getMessage());
        }
        String fileId = link.fileId().toString();
        if (shares.containsKey(fileId)) {
            throw ServiceException.badInput("this node already shares " + fileId + " (" + name(shares.get(fileId))
                    + "); nothing to download");
        }
        Transfer transfer = new Transfer(link, outDir.toAbsolutePath().normalize(), RUNNING);
        // Under the map's lock: two gets of one link at once start one download.
        synchronized (downloads) {
            Transfer existing = downloads.get(fileId);
            if (existing != null && isLive(existing)) {
                return view(existing);
            }
            prepareDirectories(transfer);
            try {
                store.putDownload(fileId, link.toUri(), transfer.outDir, RUNNING);
            } catch (StorageException e) {
                throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "cannot record the download: "
                        + e.getMessage(), e);
            }
            downloads.put(fileId, transfer);
        }
        synchronized (transfer) {
            try {
                begin(transfer);
            } catch (ServiceException e) {
                downloads.remove(fileId);
                forgetDownload(fileId);
                throw e;
            }
        }
        return view(transfer);
    }

    /**
     * Pauses a download; its verified pieces stay for {@link #resume}.
     *
     * @throws ServiceException NOT_FOUND for an unknown id, BAD_INPUT if it is not running
     */
    public TransferView pause(String id) {
        Transfer transfer = transfer(id);
        synchronized (transfer) {
            if (!RUNNING.equals(transfer.state)) {
                throw ServiceException.badInput("download " + transfer.fileId + " is " + transfer.state
                        + ", not running; only a running download pauses");
            }
            transfer.download.pause();
            setState(transfer, PAUSED, null);
        }
        return view(transfer);
    }

    /**
     * Resumes a paused or failed download from its verified pieces.
     *
     * @throws ServiceException NOT_FOUND for an unknown id, BAD_INPUT if it is running or finished
     */
    public TransferView resume(String id) {
        Transfer transfer = transfer(id);
        synchronized (transfer) {
            if (PAUSED.equals(transfer.state) && transfer.download != null
                    && transfer.download.state() == Download.State.PAUSED) {
                transfer.download.resume();
                setState(transfer, RUNNING, null);
            } else if (PAUSED.equals(transfer.state) || FAILED.equals(transfer.state)) {
                prepareDirectories(transfer);
                begin(transfer);
            } else {
                throw ServiceException.badInput("download " + transfer.fileId + " is " + transfer.state
                        + "; only a paused or failed download resumes");
            }
        }
        return view(transfer);
    }

    /**
     * Cancels a download and deletes its partial pieces.
     *
     * @throws ServiceException NOT_FOUND for an unknown id, BAD_INPUT if it is already done
     */
    public TransferView cancel(String id) {
        Transfer transfer = transfer(id);
        synchronized (transfer) {
            if (DONE.equals(transfer.state) || CANCELLED.equals(transfer.state)) {
                throw ServiceException.badInput("download " + transfer.fileId + " is " + transfer.state
                        + "; there is nothing to cancel");
            }
            if (transfer.download != null && transfer.download.state() != Download.State.FAILED) {
                transfer.download.cancel();
            }
            deletePartial(transfer.fileId);
            stopServingPartial(transfer);
            forgetDownload(transfer.fileId);
            setState(transfer, CANCELLED, null);
        }
        return view(transfer);
    }

    /** Every share and download, shares first. */
    public List<TransferView> transfers() {
        List<TransferView> all = new ArrayList<>();
        shares.values().forEach(share -> all.add(view(share)));
        downloads.values().forEach(transfer -> all.add(view(transfer)));
        return all;
    }

    /**
     * As {@link #transferView(String)}, but while the download is running, waits until it is not
     * (done, failed, paused or cancelled) or {@code wait} passed, whichever comes first: a client
     * that waits for the file learns at once that it is in place.
     *
     * @throws InterruptedException if the request's thread is interrupted (the node stops)
     */
    public TransferView transferView(String id, Duration wait) throws InterruptedException {
        Transfer transfer = downloads.get(id.strip());
        if (transfer != null && !wait.isZero()) {
            long deadline = System.nanoTime() + wait.toNanos();
            synchronized (transfer) {
                for (long left = wait.toNanos(); RUNNING.equals(transfer.state) && left > 0;
                        left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(transfer, left);
                }
            }
        }
        return transferView(id);
    }

    /** One share or download by file id. */
    public TransferView transferView(String id) {
        Share share = shares.get(id.strip());
        Transfer transfer = downloads.get(id.strip());
        if (transfer != null && (share == null || isLive(transfer) || DONE.equals(transfer.state))) {
            return view(transfer);
        }
        if (share != null) {
            return view(share);
        }
        throw ServiceException.notFound("no share or download " + id.strip() + "; parley transfers lists them");
    }

    // ---- start and stop ----

    /**
     * Serves the shares and goes on with the downloads recorded before the last stop: each share
     * is read again in the background (it must still be the file that was shared), each download
     * resumes from its bitfield unless it was paused or had failed.
     */
    void restore() throws StorageException {
        for (FilesStore.StoredShare stored : store.shares()) {
            Share share = new Share(stored.fileId(), stored.path(), VERIFYING);
            shares.put(stored.fileId(), share);
            Thread.ofVirtual().name("files-reopen").start(() -> reopen(share, stored));
        }
        for (FilesStore.StoredDownload stored : store.downloads()) {
            FileLink link;
            try {
                link = FileLink.parse(stored.link());
            } catch (InvalidFileLinkException e) {
                log.warn("a stored download ({}) has a link this version cannot read; it is dropped", stored.fileId());
                forgetDownload(stored.fileId());
                continue;
            }
            Transfer transfer = new Transfer(link, stored.outDir(), stored.state());
            downloads.put(transfer.fileId, transfer);
            if (RUNNING.equals(stored.state())) {
                synchronized (transfer) {
                    try {
                        prepareDirectories(transfer);
                        begin(transfer);
                    } catch (ServiceException e) {
                        transfer.state = FAILED;
                        transfer.error = e.getMessage();
                        log.warn("download {} cannot go on after the restart: {}", transfer.fileId, e.getMessage());
                    }
                }
            } else if (FAILED.equals(stored.state())) {
                transfer.error = "it stopped before the node restarted; parley resume " + transfer.fileId + " retries";
            }
        }
    }

    private void reopen(Share share, FilesStore.StoredShare stored) {
        try {
            Manifest manifest = ManifestCodec.decode(stored.manifest());
            serve(share, sharer.reopen(stored.path(), FileKey.of(stored.key()), manifest));
        } catch (ShareException | PeerFaultException e) {
            share.state = FAILED;
            log.warn("share {} is not served after the restart: {}", share.fileId, e.getMessage());
            events.publish(new NodeEvent.TransferState(share.fileId, TransferView.SHARE, name(share), FAILED,
                    e.getMessage()));
        }
    }

    /** Serves a verified share's file and announces it. */
    private void serve(Share share, SharedFile file) {
        share.file = file;
        share.link = linkOf(file);
        if (closed || !shares.containsKey(share.fileId)) {
            return;
        }
        sources.add(file);
        share.state = SEEDING;
        provideInBackground(file.fileId());
        events.publish(new NodeEvent.TransferState(share.fileId, TransferView.SHARE, name(share), SEEDING, null));
    }

    /** Pauses running downloads (their bitfields are saved) and stops serving. */
    @Override
    public void close() {
        closed = true;
        for (Transfer transfer : downloads.values()) {
            synchronized (transfer) {
                if (transfer.download != null && transfer.download.state() == Download.State.RUNNING) {
                    // Paused only in memory: the database still says running, so the next start goes on.
                    transfer.download.pause();
                }
            }
        }
    }

    // ---- internals ----

    /** Creates a new Download for {@code transfer} and starts it; the caller holds its monitor. */
    private void begin(Transfer transfer) {
        Path part = downloadsDir.resolve(transfer.fileId + ".part");
        Download download = new Download(host, transfer.link, transfer.target(),
                chunkSize -> new CountingPieceStore(new FilePieceStore(part, chunkSize), transfer.fetched,
                        downloadRate),
                new FileBitfieldStore(downloadsDir.resolve(transfer.fileId + ".bits")), transfer, clock(clock));
        List<PeerId> providers = transfer.link.peers().isEmpty() ? findProviders(transfer.link.fileId()) : List.of();
        download.addSources(providers);
        try {
            download.start();
        } catch (DownloadException e) {
            throw ServiceException.badInput(e.getMessage());
        }
        transfer.download = download;
        transfer.error = null;
        transfer.providing.set(false);
        setState(transfer, RUNNING, null);
        Thread.ofVirtual().name("files-wait").start(() -> awaitEnd(transfer, download));
        if (!transfer.link.peers().isEmpty()) {
            Thread.ofVirtual().name("files-providers").start(() -> {
                List<PeerId> found = findProviders(transfer.link.fileId());
                if (!found.isEmpty()) {
                    download.addSources(found);
                }
            });
        }
    }

    /** The output directory must take the file, and the downloads dir must exist. */
    private void prepareDirectories(Transfer transfer) {
        Path dir = transfer.outDir;
        if (!Files.isDirectory(dir)) {
            throw ServiceException.badInput("cannot save to " + dir + ": it is not a directory; create it or choose"
                    + " another one with --out");
        }
        if (!Files.isWritable(dir)) {
            throw ServiceException.badInput("cannot save to " + dir + ": it is not writable; choose another directory"
                    + " with --out");
        }
        if (Files.exists(transfer.target())) {
            throw ServiceException.badInput(transfer.target() + " already exists; move it away or choose another"
                    + " directory with --out");
        }
        try {
            Files.createDirectories(downloadsDir);
        } catch (IOException e) {
            throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "cannot create " + downloadsDir + " for"
                    + " partial downloads: " + e.getMessage(), e);
        }
    }

    /** Waits for a download's end, then seeds the finished file or records why it failed. */
    private void awaitEnd(Transfer transfer, Download download) {
        try {
            Path file = download.await();
            finished(transfer, download, file);
        } catch (DownloadException e) {
            synchronized (transfer) {
                if (transfer.download != download || e.reason() == DownloadException.Reason.CANCELLED) {
                    return;
                }
                stopServingPartial(transfer);
                setState(transfer, FAILED, e.getMessage());
                log.info("download {} failed: {}", transfer.fileId, e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The file is in place: record it as a share under the same file id (before the download is
     * forgotten, so a stop in between loses neither), then serve it with the tree the download
     * verified (reading it again only if that fails).
     */
    private void finished(Transfer transfer, Download download, Path file) {
        synchronized (transfer) {
            if (transfer.download != download) {
                return;
            }
            setState(transfer, DONE, null);
        }
        byte[] manifest = download.manifest().encode();
        byte[] key = transfer.link.key().bytes();
        try {
            store.putShare(transfer.fileId, file, key, manifest);
        } catch (StorageException | IllegalStateException e) {
            // IllegalStateException: the storage closed under us because the node is stopping.
            log.warn("download {} is in place but is not recorded as a share: {}", transfer.fileId, e.getMessage());
            return;
        }
        forgetDownload(transfer.fileId);
        Share share = new Share(transfer.fileId, file, VERIFYING);
        shares.put(transfer.fileId, share);
        MerkleTree tree = download.verifiedTree();
        if (tree != null) {
            try {
                serve(share, sharer.adopt(file, transfer.link.key(), download.manifest(), tree));
                return;
            } catch (ShareException e) {
                log.warn("download {} is re-read to be served: {}", transfer.fileId, e.getMessage());
            }
        }
        reopen(share, new FilesStore.StoredShare(transfer.fileId, file, key, manifest));
    }

    /** Serves the verified pieces of a running download, and announces it once it holds some. */
    private void servePartial(Transfer transfer) {
        // Without the transfer's monitor: pause and cancel hold it while they stop this download's threads.
        Download download = transfer.download;
        if (transfer.providing.get() || download == null || shares.containsKey(transfer.fileId)) {
            return;
        }
        PieceSource partial = download.asPieceSource();
        if (partial == null || !transfer.providing.compareAndSet(false, true)) {
            return;
        }
        sources.add(partial);
        provideInBackground(transfer.link.fileId());
    }

    private void stopServingPartial(Transfer transfer) {
        if (!shares.containsKey(transfer.fileId)) {
            sources.remove(transfer.link.fileId());
            dht.stopProviding(transfer.link.fileId().bytes());
        }
        transfer.providing.set(false);
    }

    /** Announces {@code fileId} on the DHT; the DHT re-announces it until {@code stopProviding}. */
    private void provideInBackground(FileId fileId) {
        Thread.ofVirtual().name("files-provide").start(() -> {
            try {
                int peers = dht.provide(fileId.bytes());
                log.debug("provided {} to {} DHT peers", fileId, peers);
            } catch (RuntimeException e) {
                log.warn("announcing {} on the DHT failed: {}; it is announced again within {} h", fileId,
                        e.getMessage(), org.parley.dht.DhtConfig.DEFAULT_REPUBLISH_INTERVAL.toHours());
            }
        });
    }

    /** The DHT's providers of {@code fileId}, their addresses put in the peerstore; none if the lookup fails. */
    private List<PeerId> findProviders(FileId fileId) {
        if (dht.routingTable().size() == 0) {
            return List.of();
        }
        try {
            List<PeerId> found = new ArrayList<>();
            for (PeerRef provider : dht.findProviders(fileId.bytes(), PROVIDER_LOOKUP_LIMIT, p -> { }).providers()) {
                if (provider.id().equals(host.peerId())) {
                    continue;
                }
                if (!provider.addrs().isEmpty()) {
                    host.peerstore().addAddresses(provider.id(), provider.addrs(), PROVIDER_ADDRESS_TTL);
                }
                found.add(provider.id());
            }
            return found;
        } catch (RuntimeException e) {
            log.warn("finding providers of {} failed: {}", fileId, e.getMessage());
            return List.of();
        }
    }

    /** Moves {@code transfer} to {@code state}; the caller holds its monitor, whose waiters it wakes. */
    private void setState(Transfer transfer, String state, String error) {
        transfer.state = state;
        transfer.error = error;
        transfer.notifyAll();
        if (RUNNING.equals(state) || PAUSED.equals(state) || FAILED.equals(state)) {
            try {
                store.setDownloadState(transfer.fileId, state);
            } catch (StorageException | IllegalStateException e) {
                // IllegalStateException: the storage closed because the node is stopping.
                log.warn("cannot record download {} as {}: {}", transfer.fileId, state, e.getMessage());
            }
        }
        events.publish(new NodeEvent.TransferState(transfer.fileId, TransferView.DOWNLOAD, transfer.link.name(), state,
                error));
    }

    private void forgetDownload(String fileId) {
        try {
            store.deleteDownload(fileId);
        } catch (StorageException | IllegalStateException e) {
            log.warn("cannot forget download {} in the database: {}", fileId, e.getMessage());
        }
    }

    private void deletePartial(String fileId) {
        try {
            Files.deleteIfExists(downloadsDir.resolve(fileId + ".part"));
            Files.deleteIfExists(downloadsDir.resolve(fileId + ".bits"));
        } catch (IOException e) {
            log.warn("cannot delete the partial download {}: {}", fileId, e.getMessage());
        }
    }

    private Transfer transfer(String id) {
        Transfer transfer = downloads.get(id.strip());
        if (transfer == null) {
            throw ServiceException.notFound("no download " + id.strip() + "; parley transfers lists them");
        }
        return transfer;
    }

    private static boolean isLive(Transfer transfer) {
        return RUNNING.equals(transfer.state) || PAUSED.equals(transfer.state);
    }

    /** A link to a share: its id, name, size, key, and this node's addresses as peer hints. */
    private FileLink linkOf(SharedFile file) {
        List<Multiaddr> hints = ListenAddresses.dialable(host.listenAddresses(), host.peerId());
        if (hints.size() > FileLink.MAX_PEER_HINTS) {
            hints = hints.subList(0, FileLink.MAX_PEER_HINTS);
        }
        return new FileLink(file.fileId(), file.path().getFileName().toString(), file.manifest().size(), hints,
                file.key());
    }

    private static String name(Share share) {
        return share.path.getFileName().toString();
    }

    private TransferView view(Share share) {
        SharedFile file = share.file;
        long size = file == null ? 0 : file.manifest().size();
        int pieces = file == null ? 0 : file.manifest().chunkCount();
        return new TransferView(share.fileId, TransferView.SHARE, name(share), share.state, size, size, 0, null, 0,
                pieces, pieces, 0, share.path.toString(), share.link == null ? null : share.link.toUri(), null);
    }

    private TransferView view(Transfer transfer) {
        synchronized (transfer) {
            DownloadProgress progress = transfer.download == null
                    ? new DownloadProgress(0, transfer.link.size(), 0, 0, 0, 0)
                    : transfer.download.progress();
            if (DONE.equals(transfer.state)) {
                progress = new DownloadProgress(transfer.link.size(), transfer.link.size(), 0,
                        progress.piecesTotal(), progress.piecesTotal(), 0);
            }
            boolean running = RUNNING.equals(transfer.state);
            return new TransferView(transfer.fileId, TransferView.DOWNLOAD, transfer.link.name(), transfer.state,
                    progress.bytesDone(), progress.bytesTotal(), running ? progress.bytesPerSecond() : 0,
                    running ? eta(progress) : null, running ? progress.peers() : 0, progress.piecesDone(),
                    progress.piecesTotal(), transfer.fetched.get(), transfer.target().toString(), transfer.link.toUri(),
                    transfer.error);
        }
    }

    /** Seconds left at the current rate; null without a rate. */
    static Long eta(DownloadProgress progress) {
        if (progress.bytesPerSecond() <= 0) {
            return null;
        }
        return (long) Math.ceil((progress.bytesTotal() - progress.bytesDone()) / progress.bytesPerSecond());
    }

    private static Clock clock(InstantSource source) {
        return source instanceof Clock c ? c : source.withZone(ZoneOffset.UTC);
    }
}
