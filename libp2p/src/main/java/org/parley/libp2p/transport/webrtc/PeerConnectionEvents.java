package org.parley.libp2p.transport.webrtc;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.parley.libp2p.core.ConnectionClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of one {@code RTCPeerConnection}, handed from WebRTC's threads to queues and futures
 * the signaling and the session read: local ICE candidates (an empty value once gathering is
 * complete), whether the connection came up, and the data channels the peer opens. Never blocks.
 */
final class PeerConnectionEvents implements PeerConnectionObserver {

    private static final Logger log = LoggerFactory.getLogger(PeerConnectionEvents.class);

    private final WebRtcSession session;
    private final LinkedBlockingQueue<Optional<RTCIceCandidate>> localCandidates = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();

    PeerConnectionEvents(WebRtcSession session) {
        this.session = session;
    }

    LinkedBlockingQueue<Optional<RTCIceCandidate>> localCandidates() {
        return localCandidates;
    }

    /** Completes once the peer connection is connected; fails if it fails or closes first. */
    CompletableFuture<Void> connected() {
        return connected;
    }

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
        log.debug("local ICE candidate: {}", candidate.sdp);
        localCandidates.add(Optional.of(candidate));
        int port = IceCandidates.localUdpPort(candidate);
        if (port > 0) {
            // Off WebRTC's thread, since it scans this process's descriptors; bulk data comes only
            // after ICE and DTLS, well after this.
            Thread.ofVirtual().name("webrtc-udp-buffer").start(() -> UdpReceiveBuffers.enlarge(port));
        }
    }

    @Override
    public void onIceGatheringChange(RTCIceGatheringState state) {
        log.debug("ICE gathering: {}", state);
        if (state == RTCIceGatheringState.COMPLETE) {
            localCandidates.add(Optional.empty());
        }
    }

    @Override
    public void onIceConnectionChange(RTCIceConnectionState state) {
        log.debug("ICE connection: {}", state);
    }

    @Override
    public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
        // Usually a STUN server that does not answer: the connection may still come up without it.
        log.debug("ICE candidate error at {}: {} {}", event.getUrl(), event.getErrorCode(), event.getErrorText());
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState state) {
        log.debug("peer connection: {}", state);
        switch (state) {
            case CONNECTED -> {
                connected.complete(null);
                session.peerConnectionConnected();
            }
            case DISCONNECTED -> session.peerConnectionDisconnected();
            case FAILED, CLOSED -> {
                connected.completeExceptionally(new ConnectionClosedException(
                        "the WebRTC connection " + (state == RTCPeerConnectionState.FAILED ? "failed" : "closed")));
                session.peerConnectionEnded();
            }
            default -> {}
        }
    }

    @Override
    public void onDataChannel(RTCDataChannel channel) {
        session.onDataChannel(channel);
    }
}
