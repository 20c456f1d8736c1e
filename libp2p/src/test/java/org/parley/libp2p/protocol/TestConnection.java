package org.parley.libp2p.protocol;

import java.time.Instant;
import java.util.List;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * A connection seen from one side, carrying only what protocol code asks of it (peer, key,
 * addresses). Test code only: streams come from {@link TestStreams}, not from {@link #newStream}.
 */
public record TestConnection(PeerId remotePeer, PublicKey remotePublicKey, Multiaddr localAddress,
        Multiaddr remoteAddress, boolean isInitiator) implements Connection {

    @Override
    public String transport() {
        return "memory";
    }

    @Override
    public boolean limited() {
        return false;
    }

    @Override
    public Instant openedAt() {
        return Instant.EPOCH;
    }

    @Override
    public Stream newStream(List<String> protocols) {
        throw new UnsupportedOperationException("test connections do not open streams; use TestStreams");
    }

    @Override
    public int streamCount() {
        return 1;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {}
}
