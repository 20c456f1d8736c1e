package org.parley.libp2p.util;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A state file exists but its contents are not something this version of the node can read
 * (empty, garbage, or a newer format). Distinct from an I/O failure: the file was read, and
 * keeping it in place would only get it overwritten, so callers move it aside with
 * {@link StateFiles#moveAside} and start afresh.
 */
public final class UnreadableStateFileException extends IOException {

    private final transient Path file;
    private final String reason;

    /**
     * @param file the state file
     * @param reason what is wrong with it, for the log, for example "it is empty"
     */
    public UnreadableStateFileException(Path file, String reason) {
        super(file + " cannot be read: " + reason);
        this.file = file;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    /** What is wrong with the file, without its name. */
    public String reason() {
        return reason;
    }
}
