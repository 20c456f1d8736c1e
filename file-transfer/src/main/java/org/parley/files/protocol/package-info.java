/**
 * {@code /parley/files/1.0.0}: the responder that serves pieces of {@link org.parley.files.protocol.PieceSource}s
 * and announces the pieces a partial source gains (haves), the initiator that drives one stream
 * for a download, and the protocol's named limits.
 */
package org.parley.files.protocol;
