package org.parley.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a running node's API listens and the token it wants: the content of
 * {@code <data-dir>/api.json}, written by the node at start (owner-only, 0600) and read by the
 * CLI subcommands. Immutable.
 *
 * @param port the API's TCP port on 127.0.0.1
 * @param token the access token; whoever reads it controls the node, hence the 0600 file
 * @param pid the node's process id, for messages about stale files
 * @param peerId the node's PeerId, for messages
 */
public record ApiEndpoint(int port, String token, long pid, String peerId) {

    /** api.json holds four short fields; anything larger is not ours. */
    static final long MAX_FILE_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The base URL of the API, {@code http://127.0.0.1:PORT}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The web UI's address with the token, as printed at start. */
    public URI webUri() {
        return URI.create("http://127.0.0.1:" + port + "/?token=" + token);
    }

    /** Writes this endpoint to {@code file} atomically with owner-only permissions. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp;
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            tmp = Files.createTempFile(dir, ".api", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            tmp = Files.createTempFile(dir, ".api", ".tmp");
        }
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(out, this);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads {@code file}.
     *
     * @throws IOException if it is missing ({@link java.nio.file.NoSuchFileException}), too large
     *     or not an api.json
     */
    public static ApiEndpoint read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(file + " is " + size + " bytes; an api.json is at most " + MAX_FILE_BYTES);
        }
        ApiEndpoint endpoint;
        try {
            endpoint = JSON.readValue(Files.readAllBytes(file), ApiEndpoint.class);
        } catch (IOException e) {
            // Jackson's wording names Java types and classes; where it went wrong is what helps.
            String where = e instanceof JsonProcessingException json && json.getLocation() != null
                    ? " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr()
                    : "";
            throw new IOException(file + " is not a valid api.json (unreadable" + where
                    + "); delete it if no node is running", e);
        }
        if (endpoint.port() <= 0 || endpoint.token() == null || endpoint.token().isEmpty()) {
            throw new IOException(file + " lacks a port or token; delete it if no node is running");
        }
        return endpoint;
    }
}
