package org.parley.files.link;

/**
 * A file link that cannot be used, with a message for the user that names the wrong part
 * ({@link #part()}: {@code xt}, {@code dn}, {@code xl}, {@code x.pe}, {@code x.key} or {@code link}).
 */
public final class InvalidFileLinkException extends Exception {

    private final String part;

    public InvalidFileLinkException(String part, String message) {
        super(message);
        this.part = part;
    }

    /** Which parameter is wrong, or {@code link} for the link as a whole. */
    public String part() {
        return part;
    }
}
