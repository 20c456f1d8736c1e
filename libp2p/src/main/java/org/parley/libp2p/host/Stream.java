package org.parley.libp2p.host;

import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.peer.PeerId;

/**
 * A muxed stream on which a protocol has been negotiated with multistream-select: what protocol
 * handlers and clients (identify, ping, kad, chat, files, sync) read and write.
 *
 * <p>Threading as for {@link MuxedStream}: one reader and one writer at a time.
 */
public interface Stream extends MuxedStream {

    /** The negotiated protocol id, for example {@code /ipfs/ping/1.0.0}. */
    String protocol();

    /** The connection this stream belongs to. */
    Connection connection();

    default PeerId remotePeer() {
        return connection().remotePeer();
    }
}
