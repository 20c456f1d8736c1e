package org.parley.files.protocol;

/** The protocol id of Parley file transfer. */
public final class FilesProtocol {

    public static final String PROTOCOL_ID = "/parley/files/1.0.0";

    private FilesProtocol() {}
}
