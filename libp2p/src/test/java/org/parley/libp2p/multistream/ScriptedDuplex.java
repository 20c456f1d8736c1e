package org.parley.libp2p.multistream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HexFormat;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Duplex;

/** A duplex whose remote side is a fixed script of bytes; what we write is recorded per write. */
final class ScriptedDuplex implements Duplex {

    private final InputStream in;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final OutputStream out;
    private int writes;

    ScriptedDuplex(byte[] script, boolean writesFail) {
        this.in = new ByteArrayInputStream(script);
        this.out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (writesFail) {
                    throw new ConnectionClosedException("remote closed the stream");
                }
                writes++;
                written.write(b, off, len);
            }
        };
    }

    static ScriptedDuplex fromHex(String hex) {
        return new ScriptedDuplex(HexFormat.of().parseHex(hex.replace(" ", "")), false);
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
    public void close() {}

    String writtenHex() {
        return HexFormat.of().formatHex(written.toByteArray());
    }

    int writeCount() {
        return writes;
    }
}
