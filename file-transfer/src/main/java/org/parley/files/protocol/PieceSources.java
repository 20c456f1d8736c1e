package org.parley.files.protocol;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.files.manifest.FileId;

/** The files a responder serves, by file id: the node adds a share and removes it on unshare. Thread safe. */
public final class PieceSources {

    private final Map<FileId, PieceSource> sources = new ConcurrentHashMap<>();

    public void add(PieceSource source) {
        sources.put(source.fileId(), source);
    }

    public void remove(FileId fileId) {
        sources.remove(fileId);
    }

    /** The source of {@code fileId}, or null if none is served. */
    public PieceSource get(FileId fileId) {
        return sources.get(fileId);
    }
}
