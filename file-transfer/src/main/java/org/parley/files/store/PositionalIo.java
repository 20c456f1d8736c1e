package org.parley.files.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads and writes a piece's bytes at a position in a file, {@link #SLICE_BYTES} per call. Why
 * slices: the JDK moves a heap array through a temporary native buffer as large as the call, kept
 * by each thread until it ends. A whole 4 MiB piece (a 10 GiB file's chunk) per call left a 4 MiB
 * buffer with every thread that wrote or served pieces, outside the heap limit, where the leecher's
 * resident memory has to stay under 256 MB. Stateless.
 */
public final class PositionalIo {

    /** Bytes per read or write call: the largest temporary native buffer a thread keeps; a few system calls per piece. */
    public static final int SLICE_BYTES = 256 * 1024;

    private PositionalIo() {}

    /** Writes {@code data[0, length)} at {@code position}. */
    public static void writeFully(FileChannel channel, byte[] data, int length, long position) throws IOException {
        for (int done = 0; done < length; ) {
            ByteBuffer slice = ByteBuffer.wrap(data, done, Math.min(SLICE_BYTES, length - done));
            while (slice.hasRemaining()) {
                channel.write(slice, position + slice.position());
            }
            done = slice.position();
        }
    }

    /**
     * Reads {@code length} bytes at {@code position} into {@code out[0, length)}.
     *
     * @return false if the file ends first (the caller says what that means)
     */
    public static boolean readFully(FileChannel channel, byte[] out, int length, long position) throws IOException {
        for (int done = 0; done < length; ) {
            ByteBuffer slice = ByteBuffer.wrap(out, done, Math.min(SLICE_BYTES, length - done));
            while (slice.hasRemaining()) {
                if (channel.read(slice, position + slice.position()) < 0) {
                    return false;
                }
            }
            done = slice.position();
        }
        return true;
    }
}
