package org.parley.files.protocol;

import org.parley.files.protocol.wire.FilesMessage.Refusal;

/** A peer said it does not share the file asked for (or is too busy); not a fault, the download just goes elsewhere. */
public final class FileRefusedException extends java.io.IOException {

    private final Refusal refusal;

    public FileRefusedException(Refusal refusal) {
        super("the peer refused: " + refusal.reason() + " (" + refusal.detail() + ")");
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
