package org.parley.dht;

/**
 * Told when the node switches between client and server mode, so the host integration can update
 * the identify protocol list and send an identify push. Called on the thread that caused the
 * switch; must not block.
 */
@FunctionalInterface
public interface DhtModeListener {

    void modeChanged(DhtMode previous, DhtMode current);
}
