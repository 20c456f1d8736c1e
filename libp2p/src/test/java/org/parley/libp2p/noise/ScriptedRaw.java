package org.parley.libp2p.noise;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.libp2p.core.Duplex;

/** A raw connection whose peer is a fixed byte script, all of it readable at once; writes are kept. */
final class ScriptedRaw implements Duplex {

    private final InputStream in;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AtomicBoolean closed = new AtomicBoolean();

    ScriptedRaw(byte[] script) {
        this.in = new ByteArrayInputStream(script);
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
    public void close() {
        closed.set(true);
    }

    boolean isClosed() {
        return closed.get();
    }
}
