package org.parley.files.download;

/**
 * Why a download stopped without its file, with a message for the user that says what to do. The
 * target path never holds a partial or corrupt file when this is thrown.
 */
public final class DownloadException extends Exception {

    /** What went wrong, for callers that react differently (the CLI's exit code, a retry). */
    public enum Reason {
        /** The target directory cannot take the file (missing, not a directory, unwritable, or the file exists). */
        TARGET_UNWRITABLE,
        /** Writing pieces or the file failed (a full disk, an I/O error). Verified pieces are kept for a resume. */
        STORAGE,
        /** The link does not fit the file its peers serve (its key does not open it, or its size differs). */
        BAD_LINK,
        /** No peer could send the missing pieces. Verified pieces are kept for a resume. */
        NO_SOURCES,
        /** The stored pieces do not add up to the manifest's root (the partial file was damaged); it is discarded. */
        CORRUPT,
        /** The download was cancelled; its pieces are deleted. */
        CANCELLED
    }

    private final Reason reason;

    public DownloadException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DownloadException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
