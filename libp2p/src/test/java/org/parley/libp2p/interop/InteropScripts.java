package org.parley.libp2p.interop;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the js-libp2p interop scripts and their logs live, and whether they can run here.
 * Safe from any thread.
 */
final class InteropScripts {

    /** The script directory, relative to the repository root. */
    static final Path SCRIPT_DIR = Path.of("scripts", "interop");
    static final String PEER_SCRIPT = "peer.mjs";
    /** Overrides the node executable (default: {@code node} on the PATH). */
    static final String NODE_PROPERTY = "parley.interop.node";
    /** Overrides where js peers write their stderr logs. */
    static final String LOG_DIR_PROPERTY = "parley.interop.logDir";

    private static final AtomicBoolean SKIP_REPORTED = new AtomicBoolean();

    private InteropScripts() {}

    /**
     * Returns {@code scripts/interop} of the enclosing repository, or aborts the test when its
     * npm packages are not installed outside CI. Under CI (env {@code CI} set) a missing install is
     * a failure: CI must run the interop tests, not skip them.
     */
    static Path requireInstalled() {
        Path dir = scriptDir();
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            String message = dir.resolve("node_modules") + " is missing: run scripts/interop/install.sh (npm ci) "
                    + "to install the pinned js-libp2p packages the interop tests start";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(message + " (CI is set, so this is a failure, not a skip)");
            }
            if (SKIP_REPORTED.compareAndSet(false, true)) {
                // Surefire counts a class aborted in @BeforeAll as zero tests and shows no reason.
                System.err.println("SKIPPING js-libp2p interop tests: " + message);
            }
            Assumptions.abort(message);
        }
        return dir;
    }

    /** Walks up from the working directory to the first one holding {@code scripts/interop/peer.mjs}. */
    static Path scriptDir() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SCRIPT_DIR);
            if (Files.isRegularFile(candidate.resolve(PEER_SCRIPT))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + SCRIPT_DIR.resolve(PEER_SCRIPT) + " in " + start + " or any parent directory");
    }

    static String nodeExecutable() {
        return System.getProperty(NODE_PROPERTY, "node");
    }

    /**
     * The directory for js peer logs: the system property if set, else {@code interop-logs} beside
     * the test classes (so inside this build's {@code target*} directory), else under the working
     * directory's {@code target}.
     */
    static Path logDir() throws IOException {
        String configured = System.getProperty(LOG_DIR_PROPERTY);
        Path dir;
        if (configured != null) {
            dir = Path.of(configured);
        } else {
            dir = buildDir().resolve("interop-logs");
        }
        return Files.createDirectories(dir);
    }

    private static Path buildDir() {
        CodeSource source = InteropScripts.class.getProtectionDomain().getCodeSource();
        if (source != null) {
            try {
                Path classes = Path.of(source.getLocation().toURI());
                if (Files.isDirectory(classes) && classes.getParent() != null) {
                    return classes.getParent();
                }
            } catch (URISyntaxException e) {
                // A location that is no file URI: use the working directory below.
            }
        }
        return Path.of("target").toAbsolutePath();
    }
}
