package org.parley.libp2p.multistream;

import java.io.IOException;
import java.util.List;

/**
 * The remote answered {@code na} to every protocol we proposed on a stream.
 *
 * <p>Deliberately outside the {@link org.parley.libp2p.core.Libp2pException} family: it is neither
 * a protocol violation nor our bug, and the connection stays healthy. The caller decides (try
 * another peer, drop the peer from a routing table). The negotiating stream is no longer usable.
 */
public class ProtocolNotSupportedException extends IOException {

    private final List<String> protocols;

    public ProtocolNotSupportedException(String message, List<String> protocols) {
        super(message);
        this.protocols = List.copyOf(protocols);
    }

    /** The protocol ids that were proposed, in the order they were tried. */
    public List<String> protocols() {
        return protocols;
    }
}
