package org.parley.libp2p.yamux;

import java.time.Duration;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.StreamMuxerConformanceTest;
import org.parley.libp2p.transport.memory.MemoryPipe;

/** The muxer conformance suite for yamux over an in-memory pipe. */
class YamuxOverMemoryPipeConformanceTest extends StreamMuxerConformanceTest {

    static final Yamux YAMUX = new Yamux(YamuxConfig.DEFAULT.withKeepAliveInterval(null));

    @Override
    protected SessionPair newSessionPair() {
        MemoryPipe.Pair pipe = MemoryPipe.pair();
        return new SessionPair(YAMUX.newSession(pipe.initiator(), true), YAMUX.newSession(pipe.responder(), false));
    }

    @Override
    protected Duration ping(MuxedSession session) throws Exception {
        return ((YamuxSession) session).ping();
    }
}
