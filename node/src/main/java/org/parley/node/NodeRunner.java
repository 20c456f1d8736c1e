package org.parley.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.parley.libp2p.transport.webrtc.WebRtcSupport;
import org.parley.node.devices.DeviceRelinker;
import org.parley.node.devices.LinkFailedException;
import org.parley.node.devices.LinkThisDeviceFeature;
import org.parley.node.devices.LinkThisStatus;
import org.parley.node.feature.Feature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the running {@link ParleyNode} of a process and starts it again when the page links this
 * fresh node as a new device ({@link DeviceRelinker}): a running node's features each hold the
 * identity they started with, so instead of swapping it the runner stops the node, moves its
 * database aside, and starts the node again with the link code, on the same API port with the
 * same token (the open page reconnects by itself). The database is moved aside rather than
 * deleted so that a failed link (wrong, expired or used code, other device offline) puts it back
 * and the node comes back exactly as it was; after a successful link it is deleted, since a fresh
 * node's database holds only the identity made at first start, which nobody knows yet, and no
 * key should lie around unused. Thread safe.
 */
public final class NodeRunner implements DeviceRelinker, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeRunner.class);
    /** The suffix of the database moved aside while a link runs. */
    static final String ASIDE_SUFFIX = ".before-link";
    /** SQLite's companions of a database file in WAL mode, moved with it. */
    private static final List<String> DATABASE_COMPANIONS = List.of("", "-wal", "-shm");

    private final NodeSettings settings;
    private final Function<Optional<String>, List<Feature>> features;
    private final InstantSource clock;
    private final String apiToken;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private ParleyNode node;
    private LinkThisStatus status = LinkThisStatus.NONE;
    private boolean closing;

    private NodeRunner(NodeSettings settings, Function<Optional<String>, List<Feature>> features,
            InstantSource clock, String apiToken) {
        this.settings = settings;
        this.features = features;
        this.clock = clock;
        this.apiToken = apiToken;
    }

    /**
     * Starts a node with the {@link ParleyNode#defaultFeatures(Optional)} (linking through {@code
     * linkCode} first, as {@code --link} does) and the page's "Link this device".
     *
     * @throws IOException as {@link ParleyNode#start} throws it; {@link LinkFailedException} if the link failed
     */
    public static NodeRunner start(NodeSettings settings, Optional<String> linkCode, InstantSource clock)
            throws IOException {
        return start(settings, ParleyNode::defaultFeatures, linkCode, clock);
    }

    /** As {@link #start(NodeSettings, Optional, InstantSource)} with {@code features} for a link code (tests). */
    public static NodeRunner start(NodeSettings settings, Function<Optional<String>, List<Feature>> features,
            Optional<String> linkCode, InstantSource clock) throws IOException {
        NodeRunner runner = new NodeRunner(settings, features, clock, org.parley.node.api.ApiAccess.newToken());
        synchronized (runner) {
            runner.node = runner.startNode(settings, linkCode);
        }
        return runner;
    }

    /** The node running now; after a link, another object than before. */
    public synchronized ParleyNode node() {
        return node;
    }

    @Override
    public synchronized LinkThisStatus status() {
        return status;
    }

    @Override
    public synchronized Runnable prepare(String code) {
        if (closing) {
            throw new IllegalStateException("This node is stopping.");
        }
        if (status.state() == LinkThisStatus.State.LINKING) {
            throw new IllegalStateException("This node is linking already; wait for it to come back.");
        }
        status = LinkThisStatus.LINKING;
        return () -> Thread.ofPlatform().name("parley-relink").start(() -> relink(code));
    }

    /** Whether {@link #close()} was called (else a stopped runner is one whose node could not start again). */
    public synchronized boolean closed() {
        return closing;
    }

    /** Blocks until the runner is closed, or the node could not be started again. */
    public void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        ParleyNode current;
        synchronized (this) {
            closing = true;
            current = node;
            node = null;
        }
        if (current != null) {
            current.close();
        }
        stopped.countDown();
    }

    private synchronized void relink(String code) {
        if (closing) {
            return;
        }
        ParleyNode old = node;
        // The page and the CLI reach the new node where they reached the old one.
        NodeSettings again = settings.withApiPort(old.apiEndpoint().port());
        log.info("linking this node as a new device: stopping it to start again with the link code");
        old.close();
        node = null;
        Path database = settings.dataDir().databaseFile();
        try {
            moveDatabase(database, aside(database));
        } catch (IOException e) {
            log.warn("cannot move the database aside to link: {}", e.toString());
            status = LinkThisStatus.failed("This node could not make room for the link (" + e.getMessage()
                    + "); nothing changed.");
            restartFresh(again);
            return;
        }
        try {
            node = startNode(again, Optional.of(code));
            status = LinkThisStatus.LINKED;
            deleteDatabase(aside(database));
            log.info("linked: this node is now a device of {}", node.userId().map(Object::toString).orElse("?"));
            return;
        } catch (LinkFailedException e) {
            status = LinkThisStatus.failed(capitalized(e.getMessage()) + ".");
            log.info("linking failed: {}", e.getMessage());
        } catch (IOException | RuntimeException e) {
            status = LinkThisStatus.failed("This node could not start again to link (" + e.getMessage()
                    + "); it is back as it was.");
            log.warn("starting to link failed", e);
        }
        try {
            deleteDatabase(database);
            moveDatabase(aside(database), database);
        } catch (IOException e) {
            log.error("cannot put the database back from {}: {}", aside(database), e.toString());
            status = LinkThisStatus.failed("The link failed and this node could not put its database back ("
                    + e.getMessage() + "); it is in " + aside(database) + ".");
            stopped.countDown();
            return;
        }
        restartFresh(again);
    }

    /** Starts the node again without a code; if even that fails, the runner stops. */
    private void restartFresh(NodeSettings again) {
        try {
            node = startNode(again, Optional.empty());
        } catch (IOException | RuntimeException e) {
            log.error("the node could not start again after a link attempt", e);
            stopped.countDown();
        }
    }

    private ParleyNode startNode(NodeSettings at, Optional<String> linkCode) throws IOException {
        List<Feature> all = new ArrayList<>(features.apply(linkCode));
        all.add(new LinkThisDeviceFeature(this));
        return ParleyNode.start(at, all, clock, WebRtcSupport::status, apiToken);
    }

    private static Path aside(Path database) {
        return database.resolveSibling(database.getFileName() + ASIDE_SUFFIX);
    }

    private static void moveDatabase(Path from, Path to) throws IOException {
        for (String companion : DATABASE_COMPANIONS) {
            Path source = Path.of(from + companion);
            if (Files.exists(source)) {
                Files.move(source, Path.of(to + companion), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    private static void deleteDatabase(Path database) throws IOException {
        for (String companion : DATABASE_COMPANIONS) {
            Files.deleteIfExists(Path.of(database + companion));
        }
    }

    private static String capitalized(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }
}
