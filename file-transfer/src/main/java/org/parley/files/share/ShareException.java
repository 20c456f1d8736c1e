package org.parley.files.share;

/** A file that cannot be shared, with a message for the user that says why. */
public final class ShareException extends Exception {

    public ShareException(String message) {
        super(message);
    }
}
