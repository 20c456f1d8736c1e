package org.parley.libp2p.core;

/**
 * One stream of a multiplexed session (yamux today, WebRTC data channels later).
 *
 * <p>Closing is graceful and per direction: {@link #closeWrite()} sends our end-of-stream while
 * we can still read; {@link #close()} half-closes and stops reading; {@link #reset()} aborts both
 * directions at once and the peer sees a {@link StreamResetException}.
 */
public interface MuxedStream extends Duplex {

    /** The muxer's id of this stream (odd when the connection initiator opened it). */
    long id();

    /** Sends end-of-stream (yamux FIN); further writes fail, reads go on. Idempotent. */
    void closeWrite();

    /** Aborts the stream in both directions (yamux RST). Idempotent. */
    void reset();
}
