package org.parley.files.download;

/**
 * Receives a download's progress. Called on the download's threads after each verified piece and
 * when the download ends; must return quickly (hand long work to another thread).
 */
public interface DownloadListener {

    /** After each verified piece. */
    default void onProgress(DownloadProgress progress) {}

    /** A peer was dropped (it sent bad pieces, broke the protocol, or went away). */
    default void onPeerDropped(org.parley.libp2p.peer.PeerId peer, String why) {}
}
