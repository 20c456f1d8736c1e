/**
 * The chat roles over libp2p streams: {@link org.parley.chat.protocol.PrekeyResponder} and
 * {@link org.parley.chat.protocol.PrekeyInitiator} on {@code /parley/prekeys/1.0.0} (one request,
 * one answer per stream), {@link org.parley.chat.protocol.ChatSender} and
 * {@link org.parley.chat.protocol.ChatReceiver} on {@code /parley/chat/1.0.0} (frames one way, one
 * ack per frame back, in order; the sender keeps up to {@code ChatSender.WINDOW} frames in flight,
 * the receiver takes the frames that arrived together as one batch) and {@code /parley/chat/1.1.0}
 * (the same, with a reply frame on an ack: the delivered receipt, back without a stream of its own). They move bytes only; decryption, consent and storage are behind
 * {@link org.parley.chat.protocol.FrameSink} and {@link org.parley.chat.protocol.PrekeySource}.
 */
package org.parley.chat.protocol;
