package org.parley.files.download;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where a download's file goes, checked before anything is fetched, so a bad target costs no traffic. */
final class DownloadTarget {

    private DownloadTarget() {}

    /**
     * @throws DownloadException with {@link DownloadException.Reason#TARGET_UNWRITABLE} if the target
     *     directory is missing, not a directory or not writable, or the target already exists
     */
    static void check(Path target) throws DownloadException {
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new DownloadException(DownloadException.Reason.TARGET_UNWRITABLE,
                    "cannot save to " + dir + ": it is not a directory; create it or choose another one");
        }
        if (!Files.isWritable(dir)) {
            throw new DownloadException(DownloadException.Reason.TARGET_UNWRITABLE,
                    "cannot save to " + dir + ": it is not writable; choose another directory");
        }
        if (Files.exists(target)) {
            throw new DownloadException(DownloadException.Reason.TARGET_UNWRITABLE,
                    target + " already exists; move it away or choose another directory");
        }
    }
}
