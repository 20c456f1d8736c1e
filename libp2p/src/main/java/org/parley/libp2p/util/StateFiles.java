package org.parley.libp2p.util;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets aside a state file the node cannot read, so that starting afresh never destroys it: the
 * file is renamed to {@code <name>.unreadable-<UTC time>} beside itself, with one WARN naming the
 * new name, and the caller then starts with empty state. A file written by a newer Parley is kept
 * this way too, byte for byte, for that version to use again. Stateless; thread safe.
 *
 * <p>Only for state that can be rebuilt (a routing table, caches). A file whose loss would cost
 * the user something (the identity key) must make the start fail instead.
 */
public final class StateFiles {

    /** What is put between the file's name and the time in a set-aside name. */
    public static final String UNREADABLE_SUFFIX = ".unreadable-";
    /**
     * Set-aside names tried for one file within one second before giving up: more than that many
     * failed starts in one second means something else is wrong.
     */
    public static final int MAX_NAME_ATTEMPTS = 100;
    /** Sortable, and without ':' so that the name is valid on every file system. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private static final Logger LOG = LoggerFactory.getLogger(StateFiles.class);

    private StateFiles() {}

    /**
     * Moves the file named by {@code unreadable} aside and logs one WARN saying why and where it is
     * now.
     *
     * @param what what the file holds, for the log ("DHT routing table")
     * @return the set-aside path
     * @throws IOException if the file cannot be renamed; the caller must then fail its start rather
     *     than overwrite the file
     */
    public static Path moveAside(UnreadableStateFileException unreadable, String what, InstantSource clock)
            throws IOException {
        Path file = unreadable.file();
        String base = file.getFileName() + UNREADABLE_SUFFIX + TIME.format(clock.instant());
        for (int attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
            Path target = file.resolveSibling(attempt == 0 ? base : base + "-" + attempt);
            try {
                // A rename within the directory. Not ATOMIC_MOVE, which on POSIX replaces an existing
                // target silently; without REPLACE_EXISTING an earlier set-aside file is kept.
                Files.move(file, target);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            LOG.warn("the {} file {} cannot be read ({}); moved it to {} and starting with an empty {}", what, file,
                    unreadable.reason(), target.getFileName(), what);
            return target;
        }
        throw new IOException("cannot move the unreadable " + what + " file " + file + " aside: "
                + MAX_NAME_ATTEMPTS + " set-aside names are taken; remove old " + file.getFileName()
                + UNREADABLE_SUFFIX + "* files");
    }
}
