package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.parley.node.ParleyNode;

/**
 * Holds a node's database in a transaction of its own, on a thread of its own, until closed: the
 * node then reads what peers send but can keep and acknowledge nothing, as a device that hangs
 * mid-write would.
 */
final class DatabaseHold implements AutoCloseable {

    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread holder;

    /** Returns once the database is held. */
    DatabaseHold(ParleyNode node) throws InterruptedException {
        holder = Thread.ofPlatform().name("database-hold").start(() -> {
            try {
                node.storage().database().transaction(c -> {
                    holding.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(holding.await(ChatNodes.WAIT.toSeconds(), TimeUnit.SECONDS)).as("the database is held").isTrue();
    }

    /** Lets the database go; returns once the holding transaction has ended. */
    @Override
    public void close() throws InterruptedException {
        release.countDown();
        holder.join();
    }
}
