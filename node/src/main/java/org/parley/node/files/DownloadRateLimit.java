package org.parley.node.files;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.parley.node.service.ServiceException;
import org.parley.node.storage.KeyValueStore;
import org.parley.node.storage.StorageException;

/**
 * The user's {@code maxDownloadRate} setting: the most bytes a second all of the node's downloads
 * together write, {@link TokenBucket#UNLIMITED} (the default) for no limit. Changed in the web UI or
 * through {@code POST /api/settings/download-rate}, applied to running downloads at once, and kept
 * in the node's database for later starts. Thread safe.
 */
public final class DownloadRateLimit {

    /** No limit: the default. */
    public static final long UNLIMITED = TokenBucket.UNLIMITED;
    /**
     * The lowest limit: 16 KiB/s, so that one 256 KiB piece (the smallest piece size) still arrives
     * within about 16 seconds and a download never looks dead.
     */
    public static final long MIN_BYTES_PER_SECOND = 16 * 1024;
    /** The highest limit: 1 TiB/s, far above any link; a larger number is a typing mistake. */
    public static final long MAX_BYTES_PER_SECOND = 1L << 40;
    /** Where the setting lives in the node's key-value store. */
    static final String NAMESPACE = "files";
    static final String KEY = "maxDownloadRate";
    /** A stored value is a decimal number: 20 digits hold any long. */
    private static final int MAX_STORED_CHARS = 20;

    private final KeyValueStore store;
    private final TokenBucket bucket;

    private DownloadRateLimit(KeyValueStore store, TokenBucket bucket) {
        this.store = store;
        this.bucket = bucket;
    }

    /** The limit kept in {@code store}, or none; a stored value that does not parse counts as none. */
    static DownloadRateLimit load(KeyValueStore store) throws StorageException {
        long rate = UNLIMITED;
        Optional<byte[]> kept = store.get(KEY);
        if (kept.isPresent() && kept.get().length <= MAX_STORED_CHARS) {
            try {
                long parsed = Long.parseLong(new String(kept.get(), StandardCharsets.US_ASCII));
                rate = parsed == UNLIMITED || valid(parsed) ? parsed : UNLIMITED;
            } catch (NumberFormatException e) {
                rate = UNLIMITED;
            }
        }
        return new DownloadRateLimit(store, new TokenBucket(rate));
    }

    /** The limit in bytes a second, {@link #UNLIMITED} for none. */
    public long bytesPerSecond() {
        return bucket.rate();
    }

    /**
     * Sets the limit for running and later downloads and keeps it.
     *
     * @throws ServiceException BAD_INPUT outside {@link #MIN_BYTES_PER_SECOND}..{@link
     *     #MAX_BYTES_PER_SECOND} (and not {@link #UNLIMITED}); nothing changes then
     * @throws StorageException if the database cannot keep it; the old limit stays
     */
    public synchronized long set(long bytesPerSecond) throws StorageException {
        if (bytesPerSecond != UNLIMITED && !valid(bytesPerSecond)) {
            throw ServiceException.badInput("a download limit is 0 (no limit) or " + MIN_BYTES_PER_SECOND + " to "
                    + MAX_BYTES_PER_SECOND + " bytes a second, not " + bytesPerSecond);
        }
        store.put(KEY, Long.toString(bytesPerSecond).getBytes(StandardCharsets.US_ASCII));
        bucket.setRate(bytesPerSecond);
        return bytesPerSecond;
    }

    /** What every download's pieces pass through before they are written. */
    TokenBucket bucket() {
        return bucket;
    }

    private static boolean valid(long bytesPerSecond) {
        return bytesPerSecond >= MIN_BYTES_PER_SECOND && bytesPerSecond <= MAX_BYTES_PER_SECOND;
    }
}
