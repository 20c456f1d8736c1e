package org.parley.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * The lock a running node holds on its data dir ({@code node.lock}), so a second node with the
 * same data dir, and so the same key, refuses to start. The operating system releases it if the
 * process dies. Thread safe.
 */
final class DataDirLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock and writes our pid into the file.
     *
     * @throws IOException if another node holds it, naming its pid
     */
    static DataDirLock acquire(DataDir dataDir) throws IOException {
        FileChannel channel = FileChannel.open(dataDir.lockFile(),
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            String holder = Files.readString(dataDir.lockFile(), StandardCharsets.US_ASCII).strip();
            throw new IOException("another node is already running with data dir " + dataDir
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                    + ": stop it first, or give this one its own --data-dir");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
