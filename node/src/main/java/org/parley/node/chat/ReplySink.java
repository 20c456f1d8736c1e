package org.parley.node.chat;

import java.util.List;
import org.parley.node.storage.SqlWork;

/**
 * Takes the replies acks carried (the inbox), in the transaction that records those acks: the
 * texts' sent state and their delivered receipts then commit together, or neither does and the
 * outbox sends the texts again (whose acks bring new receipts).
 */
@FunctionalInterface
interface ReplySink {

    /** Runs {@code first} (recording the acks), then takes {@code replies} in order, in one transaction. */
    void acceptReplies(List<Reply> replies, SqlWork<?> first) throws Exception;
}
