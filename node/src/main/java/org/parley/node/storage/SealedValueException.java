package org.parley.node.storage;

/**
 * A value sealed by {@link ColumnCipher} cannot be opened: it was changed, belongs to another
 * row or column, was sealed under another storage key, or is in an unknown format.
 */
public final class SealedValueException extends Exception {

    public SealedValueException(String message) {
        super(message);
    }
}
