package org.parley.libp2p.protocol.autonat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.parley.libp2p.peer.PeerId;

/**
 * Decides our {@link Reachability} from the dial-back answers of AutoNAT servers, without any I/O.
 * Each server's latest answer counts once (so one server cannot vote twice); only the most recent
 * {@link #RECENT_SERVERS} servers count. We are public once {@code threshold} servers reached us
 * and more reached us than failed; private once {@code threshold} failed and more failed than
 * reached us; unknown otherwise. Listeners hear each change, outside the lock. Thread safe.
 */
public final class ReachabilityTracker {

    /**
     * Servers that must agree before we believe them: go-libp2p's AutoNAT v1 keeps a confidence of
     * up to 3 before it flips; three independent observers also outvote one lying server.
     */
    public static final int CONFIDENCE_THRESHOLD = 3;

    /** Answers remembered: enough to outlast a few stale ones after a network change, few enough to follow it. */
    public static final int RECENT_SERVERS = 8;

    private final int threshold;
    /** Server -> reached us; insertion-ordered, the oldest answer first. */
    private final LinkedHashMap<PeerId, Boolean> answers = new LinkedHashMap<>();
    private final List<Consumer<Reachability>> listeners = new CopyOnWriteArrayList<>();
    private Reachability current = Reachability.UNKNOWN;

    public ReachabilityTracker() {
        this(CONFIDENCE_THRESHOLD);
    }

    /** A tracker that believes {@code threshold} agreeing servers; small networks and tests use fewer. */
    public ReachabilityTracker(int threshold) {
        if (threshold < 1 || threshold > RECENT_SERVERS) {
            throw new IllegalArgumentException("threshold must be 1 to " + RECENT_SERVERS + ": " + threshold);
        }
        this.threshold = threshold;
    }

    /** Records that {@code server} dialed us back ({@code reached}) or tried and failed. */
    public void record(PeerId server, boolean reached) {
        Reachability now;
        Reachability before;
        synchronized (this) {
            answers.remove(server);
            answers.put(server, reached);
            while (answers.size() > RECENT_SERVERS) {
                answers.remove(answers.keySet().iterator().next());
            }
            before = current;
            current = decide();
            now = current;
        }
        if (now != before) {
            for (Consumer<Reachability> listener : listeners) {
                listener.accept(now);
            }
        }
    }

    /** What we believe now. */
    public synchronized Reachability reachability() {
        return current;
    }

    /** Calls {@code listener} with each later change of {@link #reachability()}. */
    public void onChange(Consumer<Reachability> listener) {
        listeners.add(listener);
    }

    private Reachability decide() {
        int reached = 0;
        int failed = 0;
        for (Map.Entry<PeerId, Boolean> answer : new ArrayList<>(answers.entrySet())) {
            if (answer.getValue()) {
                reached++;
            } else {
                failed++;
            }
        }
        if (reached >= threshold && reached > failed) {
            return Reachability.PUBLIC;
        }
        if (failed >= threshold && failed > reached) {
            return Reachability.PRIVATE;
        }
        return Reachability.UNKNOWN;
    }
}
