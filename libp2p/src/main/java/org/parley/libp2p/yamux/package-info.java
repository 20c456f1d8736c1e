/**
 * The yamux stream muxer ({@code /yamux/1.0.0}): frames and their codec, the session state
 * machine with its reader thread, and per-stream flow control. Byte-compatible with go-yamux,
 * js-yamux and rust-yamux.
 */
package org.parley.libp2p.yamux;
