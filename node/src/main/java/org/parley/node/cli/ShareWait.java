package org.parley.node.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * How long {@code parley share} waits for the node: sharing reads, seals and hashes the whole file
 * before the link exists, so the wait grows with the size. A 10 GiB file took longer than the
 * API's usual {@link ApiClient#REQUEST_TIMEOUT}; the CLI gave up while the node went on.
 */
final class ShareWait {

    /**
     * The slowest share rate the wait allows for: well below SHA-256 plus the cipher on one core
     * (about 1 GB/s here), so a loaded machine or a slow disk still fits.
     */
    static final long BYTES_PER_SECOND_FLOOR = 20L * 1024 * 1024;

    /** From this size on, sharing takes long enough (seconds to minutes) that the CLI says what it waits for. */
    static final long NOTICE_BYTES = 1024L * 1024 * 1024;

    private ShareWait() {}

    /** Whether to tell the user, before waiting, that a share of {@code size} bytes takes a while. */
    static boolean worthANotice(long size) {
        return size >= NOTICE_BYTES;
    }

    /** The usual request timeout plus the time to read {@code size} bytes at {@link #BYTES_PER_SECOND_FLOOR}. */
    static Duration timeoutFor(long size) {
        long seconds = Math.ceilDiv(Math.max(0, size), BYTES_PER_SECOND_FLOOR);
        return ApiClient.REQUEST_TIMEOUT.plusSeconds(seconds);
    }

    /** The file's size, or 0 when it cannot be read here: the node then says what is wrong with it. */
    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException | SecurityException e) {
            return 0;
        }
    }

    static String waitingMessage(String path, long size, Duration timeout) {
        return String.format(Locale.ROOT, "sharing %s (%.1f GiB): the node chunks, encrypts and hashes it first;"
                + " waiting up to %d min for its link", path, size / (1024.0 * 1024 * 1024), Math.ceilDiv(timeout.toSeconds(), 60));
    }
}
