package org.parley.files.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.BitSet;
import org.parley.files.manifest.ChunkSizes;

/**
 * A {@link BitfieldStore} in a small file, replaced atomically (written beside it, synced, renamed),
 * so a crash leaves the old bitfield or the new one. Thread safe.
 */
public final class FileBitfieldStore implements BitfieldStore {

    private final Path path;

    public FileBitfieldStore(Path path) {
        this.path = path;
    }

    @Override
    public synchronized BitSet load() throws IOException {
        try {
            if (Files.size(path) > ChunkSizes.MAX_CHUNKS / 8) {
                throw new IOException(path + " is larger than any bitfield; it is not a Parley download's state");
            }
            return BitSet.valueOf(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return new BitSet();
        }
    }

    @Override
    public synchronized void save(BitSet verified) throws IOException {
        Path temp = path.resolveSibling(path.getFileName() + ".tmp");
        try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            var buffer = java.nio.ByteBuffer.wrap(verified.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public synchronized void delete() throws IOException {
        Files.deleteIfExists(path);
    }
}
