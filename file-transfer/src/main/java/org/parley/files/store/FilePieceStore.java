package org.parley.files.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A {@link PieceStore} in one sparse file: the plaintext of piece {@code i} lives at
 * {@code i * chunkSize}, so the whole file is laid out as it will be. Positional reads and writes,
 * so thread safe without a lock.
 */
public final class FilePieceStore implements PieceStore {

    private final Path path;
    private final long stride;
    private final FileChannel channel;

    /** Opens (or creates) the partial file for pieces of {@code chunkSize} plaintext bytes. */
    public FilePieceStore(Path path, int chunkSize) throws IOException {
        this.path = path;
        this.stride = chunkSize;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public void write(int index, byte[] data, int length) throws IOException {
        PositionalIo.writeFully(channel, data, length, index * stride);
    }

    @Override
    public void read(int index, byte[] out, int length) throws IOException {
        if (!PositionalIo.readFully(channel, out, length, index * stride)) {
            throw new IOException(path + " ends inside piece " + index);
        }
    }

    @Override
    public void sync() throws IOException {
        channel.force(false);
    }

    @Override
    public void moveTo(Path destination) throws IOException {
        channel.force(true);
        close();
        try {
            Files.move(path, destination, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // Another file system than the target's: the kernel copies (copy_file_range), then we sync it.
            Files.copy(path, destination);
            try (FileChannel copy = FileChannel.open(destination, StandardOpenOption.WRITE)) {
                copy.force(true);
            }
            Files.delete(path);
        }
    }

    @Override
    public void delete() throws IOException {
        close();
        Files.deleteIfExists(path);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
