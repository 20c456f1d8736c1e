/**
 * The chat wire: domain records ({@link org.parley.chat.wire.ChatEnvelope},
 * {@link org.parley.chat.wire.ChatFrame}, {@link org.parley.chat.wire.ChatAck}, prekey requests
 * and bundles) and the codecs that alone touch the generated protobuf classes, with every length
 * checked before allocation, plus the size-bucket {@link org.parley.chat.wire.Padding} applied
 * before encryption. Decoding errors are {@link org.parley.libp2p.core.PeerFaultException}s whose
 * messages name the field and the expected value.
 */
package org.parley.chat.wire;
