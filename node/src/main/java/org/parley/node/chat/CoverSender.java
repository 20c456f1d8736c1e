package org.parley.node.chat;

import java.time.Duration;
import org.parley.node.config.CoverTraffic;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;
import org.parley.node.identity.LocalIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cover traffic: while on, every {@link CoverTraffic#interval()} sends each accepted contact whose
 * device is connected one dummy envelope ({@code COVER}), padded and encrypted in the real session
 * like a short text, so an observer of the link sees a steady rate whether or not a real message
 * went. Runs on a virtual thread of its own; {@link #close()} stops it. Thread safe.
 */
final class CoverSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CoverSender.class);

    private final ChatRuntime runtime;
    private final ChatOutbox outbox;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean closed;

    CoverSender(ChatRuntime runtime, ChatOutbox outbox, CoverTraffic setting) {
        this.runtime = runtime;
        this.outbox = outbox;
        this.interval = setting.interval();
        this.thread = Thread.ofVirtual().name("chat-cover").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(interval);
                sendRound();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.debug("a round of cover traffic failed: {}", e.toString());
            }
        }
    }

    /** One dummy to each connected, accepted contact of each active identity; how many went. */
    int sendRound() {
        int sent = 0;
        for (LocalIdentity identity : runtime.identities.active()) {
            for (Contact contact : runtime.contacts(identity.rowId())) {
                if (contact.state() == ContactState.ACCEPTED && outbox.sendCover(identity, contact)) {
                    sent++;
                }
            }
        }
        return sent;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
