package org.parley.libp2p.interop;

import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A JUnit extension that prints the stderr logs of the js peers a test class started when one
 * of its tests fails, so an interop failure shows both sides. Register it with
 * {@code @ExtendWith(JsPeerLogs.class)}. Stateless apart from JUnit's per-class store.
 */
public final class JsPeerLogs implements BeforeAllCallback, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(JsPeerLogs.class);
    private static final String FIRST_PEER = "firstPeer";

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(FIRST_PEER, JsPeer.started().size());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        int first = context.getParent()
                .map(parent -> parent.getStore(NAMESPACE).get(FIRST_PEER, Integer.class))
                .orElse(0);
        List<JsPeer> peers = JsPeer.started();
        StringBuilder out = new StringBuilder();
        for (JsPeer peer : peers.subList(Math.min(first, peers.size()), peers.size())) {
            out.append("----- ").append(peer).append(" log ").append(peer.logFile()).append(" -----\n")
                    .append(peer.log()).append('\n');
        }
        if (!out.isEmpty()) {
            System.err.println("===== js peer logs for failed test " + context.getDisplayName() + " =====\n" + out
                    + "===== end of js peer logs =====");
        }
    }
}
