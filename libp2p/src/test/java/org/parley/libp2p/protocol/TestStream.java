package org.parley.libp2p.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.libp2p.core.StreamResetException;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.transport.memory.MemoryPipe;

/**
 * One end of an in-memory stream over a {@link MemoryPipe}: closeWrite shuts our output down,
 * reset closes both ends and makes either side's later reads and writes fail with
 * {@link StreamResetException}. Test code only.
 */
public final class TestStream implements Stream {

    private final MemoryPipe.Pair pipe;
    private final MemoryPipe.End end;
    private final AtomicBoolean resetFlag;
    private final String protocol;
    private final Connection connection;
    private final long id;
    private final InputStream in;
    private final OutputStream out;
    private volatile boolean resetHere;

    TestStream(MemoryPipe.Pair pipe, MemoryPipe.End end, AtomicBoolean resetFlag, String protocol,
            Connection connection, long id) {
        this.pipe = pipe;
        this.end = end;
        this.resetFlag = resetFlag;
        this.protocol = protocol;
        this.connection = connection;
        this.id = id;
        this.in = new ResetAwareInput();
        this.out = new ResetAwareOutput();
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public void closeWrite() {
        end.shutdownOutput();
    }

    @Override
    public void reset() {
        resetHere = true;
        resetFlag.set(true);
        pipe.close();
    }

    /** True if this end called {@link #reset()}. */
    public boolean wasResetHere() {
        return resetHere;
    }

    /** True if either end reset the stream. */
    public boolean wasReset() {
        return resetFlag.get();
    }

    @Override
    public void close() {
        end.close();
    }

    private void checkReset() throws StreamResetException {
        if (resetFlag.get()) {
            throw new StreamResetException("stream " + id + " was reset");
        }
    }

    private final class ResetAwareInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            checkReset();
            int n;
            try {
                n = end.in().read(b, off, len);
            } catch (IOException e) {
                checkReset();
                throw e;
            }
            if (n < 0) {
                // reset() closes the dialer's end first, which this end may read as a clean EOF
                checkReset();
            }
            return n;
        }
    }

    private final class ResetAwareOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            checkReset();
            try {
                end.out().write(b, off, len);
            } catch (IOException e) {
                checkReset();
                throw e;
            }
        }
    }
}
