package org.parley.libp2p.yamux;

import java.time.Duration;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.StreamMuxerConformanceTest;
import org.parley.libp2p.testing.LoopbackTcp;

/** The muxer conformance suite for yamux over a loopback TCP connection (no encryption). */
class YamuxOverTcpConformanceTest extends StreamMuxerConformanceTest {

    @Override
    protected SessionPair newSessionPair() throws Exception {
        LoopbackTcp.Pair sockets = LoopbackTcp.pair();
        Yamux yamux = YamuxOverMemoryPipeConformanceTest.YAMUX;
        return new SessionPair(yamux.newSession(sockets.initiator(), true), yamux.newSession(sockets.responder(), false));
    }

    @Override
    protected Duration ping(MuxedSession session) throws Exception {
        return ((YamuxSession) session).ping();
    }
}
