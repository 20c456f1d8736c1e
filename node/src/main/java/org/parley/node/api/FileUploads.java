package org.parley.node.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.parley.files.manifest.ChunkSizes;

/**
 * Writes a file the web page uploads into one directory (the data dir's {@code shared/}), so that
 * the node can share it: a browser can hand the node a file's bytes but never its path. The size
 * is declared up front and checked against {@link #MAX_UPLOAD_BYTES} and the free disk space
 * before a byte is written; the bytes go to a temporary file that becomes the named file only
 * when all of them arrived, so a failed upload leaves nothing behind. Thread safe.
 */
public final class FileUploads {

    /** The largest file a share can describe (4,096 chunks of 16 MiB): a larger upload could not be shared. */
    public static final long MAX_UPLOAD_BYTES = ChunkSizes.MAX_FILE_SIZE;
    /**
     * Left free after an upload: the database, its journal and the logs go on growing on the same
     * disk, and a node that filled it to the last byte could not record the share it was asked for.
     */
    public static final long DISK_RESERVE_BYTES = 64L * 1024 * 1024;
    /** Most file systems allow 255 bytes in a name; a few characters stay free for " (99)". */
    static final int MAX_NAME_BYTES = 240;
    /** When this many files share a name, the upload asks for another one rather than trying on. */
    static final int MAX_SAME_NAME = 99;
    /** The copy buffer: large enough that a 20 MiB file takes a few hundred writes. */
    private static final int BUFFER_BYTES = 64 * 1024;
    /** The name given to an upload whose name has nothing left after cleaning. */
    static final String FALLBACK_NAME = "shared-file";

    private final Path dir;
    private final ToLongFunction<Path> freeSpace;

    /**
     * @param dir where uploads go, created when the first one arrives
     * @param freeSpace the bytes a new file may take on the disk holding its argument (an existing directory)
     */
    public FileUploads(Path dir, ToLongFunction<Path> freeSpace) {
        this.dir = dir.toAbsolutePath().normalize();
        this.freeSpace = freeSpace;
    }

    /** Uploads into {@code dir}, measuring the real free space. */
    public static FileUploads into(Path dir) {
        return new FileUploads(dir, FileUploads::usableSpace);
    }

    public Path dir() {
        return dir;
    }

    /**
     * Writes {@code declaredLength} bytes of {@code body} into a new file named after {@code name}
     * and returns its path.
     *
     * @throws ApiException 411 without a length, 413 over the limit, 507 when the disk has no room
     *     (before writing or while writing), 400 when the body ends early or runs long
     */
    public Path write(String name, long declaredLength, InputStream body) throws IOException {
        if (declaredLength < 0) {
            throw new ApiException(411, ApiException.BAD_REQUEST,
                    "the upload has no Content-Length; send the file with its size");
        }
        if (declaredLength == 0) {
            throw ApiException.badRequest("the file is empty; an empty file cannot be shared");
        }
        if (declaredLength > MAX_UPLOAD_BYTES) {
            throw new ApiException(413, ApiException.TOO_LARGE, "the file is " + declaredLength
                    + " bytes; a shared file may have at most " + MAX_UPLOAD_BYTES + " bytes (64 GiB)");
        }
        Files.createDirectories(dir);
        long free = freeSpace.applyAsLong(dir);
        if (free - DISK_RESERVE_BYTES < declaredLength) {
            throw diskFull(declaredLength, free);
        }
        String clean = cleanName(name);
        Path temp = Files.createTempFile(dir, ".upload-", ".part");
        boolean kept = false;
        try {
            long written = copy(body, temp, declaredLength);
            if (written != declaredLength) {
                throw ApiException.badRequest("the upload ended after " + written + " of " + declaredLength
                        + " bytes; try again");
            }
            Path target = moveToFreeName(temp, clean);
            kept = true;
            return target;
        } catch (IOException e) {
            if (isDiskFull(e)) {
                throw diskFull(declaredLength, freeSpace.applyAsLong(dir));
            }
            throw e;
        } finally {
            if (!kept) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static long copy(InputStream body, Path temp, long declaredLength) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(temp)) {
            int n;
            while ((n = body.read(buffer)) > 0) {
                written += n;
                if (written > declaredLength) {
                    throw ApiException.badRequest("the upload is longer than its Content-Length of " + declaredLength
                            + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        return written;
    }

    private Path moveToFreeName(Path temp, String clean) throws IOException {
        int dot = clean.lastIndexOf('.');
        String stem = dot > 0 ? clean.substring(0, dot) : clean;
        String extension = dot > 0 ? clean.substring(dot) : "";
        for (int i = 1; i <= MAX_SAME_NAME; i++) {
            Path target = dir.resolve(i == 1 ? clean : stem + " (" + i + ")" + extension);
            try {
                // No REPLACE_EXISTING: a file of the same name is never overwritten.
                return Files.move(temp, target);
            } catch (FileAlreadyExistsException taken) {
                // Try the next number.
            }
        }
        throw ApiException.badRequest(MAX_SAME_NAME + " shared files are named '" + clean
                + "' already; rename the file and share it again");
    }

    /**
     * The last segment of {@code name} without control characters, path separators or leading dots,
     * cut to {@link #MAX_NAME_BYTES}: the name a browser sends is the user's, but it must not leave
     * the directory or hide as a dot file.
     */
    static String cleanName(String name) {
        String text = name == null ? "" : name;
        int slash = Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\'));
        text = text.substring(slash + 1);
        StringBuilder out = new StringBuilder();
        text.codePoints().filter(c -> !Character.isISOControl(c) && c != ':').forEach(out::appendCodePoint);
        String cleaned = out.toString().strip().replaceFirst("^\\.+", "").strip();
        while (cleaned.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            cleaned = cleaned.substring(0, cleaned.offsetByCodePoints(cleaned.length(), -1));
        }
        return cleaned.isEmpty() ? FALLBACK_NAME : cleaned;
    }

    private static ApiException diskFull(long needed, long free) {
        return new ApiException(507, "disk_full", "the disk is full: the file needs " + mib(needed)
                + " and the node's data folder has " + mib(Math.max(0, free - DISK_RESERVE_BYTES))
                + " to spare; free some space and share it again");
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static boolean isDiskFull(IOException e) {
        String message = e.getMessage();
        return message != null && (message.contains("No space left") || message.contains("Disk quota exceeded"));
    }

    private static long usableSpace(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            // Unknown: let the write itself find out, and report a full disk then.
            return Long.MAX_VALUE;
        }
    }
}
