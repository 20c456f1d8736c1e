package org.parley.node.nat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.libp2p.core.Transport;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.transport.webrtc.WebRtcConfig;
import org.parley.libp2p.transport.webrtc.WebRtcSupport;
import org.parley.libp2p.transport.webrtc.WebRtcTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's WebRTC: the transport (on when the native library loads), the addresses it listens
 * on, whether it is available and why not, and why a peer's relayed connection could not be
 * upgraded. Without the native library the node logs one line and runs on TCP and relays. Thread
 * safe.
 */
public final class NodeWebRtc {

    private static final Logger log = LoggerFactory.getLogger(NodeWebRtc.class);

    private final WebRtcTransport transport;

    private NodeWebRtc(WebRtcTransport transport) {
        this.transport = transport;
    }

    /**
     * WebRTC with these STUN servers ({@code stun:HOST:PORT}, none: only host candidates) as
     * {@code status} allows; logs the reason once when it is off.
     *
     * @throws IllegalArgumentException if a STUN server is not of the form {@code stun:HOST:PORT}
     */
    public static NodeWebRtc create(List<String> stunServers, WebRtcSupport.Status status) {
        WebRtcTransport transport = new WebRtcTransport(WebRtcConfig.defaults().withStunServers(stunServers), status);
        if (!status.available()) {
            log.warn("{}; this node runs on TCP and relays only", status.describe());
        }
        return new NodeWebRtc(transport);
    }

    /** WebRTC off for {@code reason}, without a log line: for parts built without a node around them. */
    public static NodeWebRtc off(String reason) {
        return new NodeWebRtc(new WebRtcTransport(WebRtcConfig.defaults(), new WebRtcSupport.Status(false, reason)));
    }

    /** WebRTC as the native library in this process allows; see {@link #create(List, WebRtcSupport.Status)}. */
    public static NodeWebRtc create(List<String> stunServers) {
        return create(stunServers, WebRtcSupport.status());
    }

    /** The transport for {@code HostBuilder.transport}. */
    public Transport.Factory transportFactory() {
        return threads -> transport;
    }

    /**
     * What to add to the host's {@code configured} listen addresses: when WebRTC is available,
     * {@code /webrtc} (to accept connections) and {@code <circuit>/webrtc} for each relay circuit
     * among them (to announce that peers reaching this node through that relay can upgrade);
     * nothing otherwise.
     */
    public List<Multiaddr> listenAddresses(List<Multiaddr> configured) {
        if (!available()) {
            return List.of();
        }
        List<Multiaddr> added = new ArrayList<>();
        added.add(WebRtcTransport.LISTEN_ADDRESS);
        for (Multiaddr address : configured) {
            List<Multiaddr.Component> parts = address.components();
            if (!parts.isEmpty() && parts.getLast().protocol() == Protocol.P2P_CIRCUIT) {
                added.add(address.encapsulate(WebRtcTransport.LISTEN_ADDRESS));
            }
        }
        return added;
    }

    /** Connects the transport to the host; call before the host starts. */
    public void attach(Host host) {
        transport.attach(host);
    }

    public boolean available() {
        return transport.status().available();
    }

    /** Why WebRTC is off, in one sentence for the user; empty when it is on. */
    public Optional<String> unavailableReason() {
        return available() ? Optional.empty() : Optional.of(transport.status().describe());
    }

    /** Why the last upgrade of {@code peer}'s relayed connection failed while it stays relayed; empty if none did. */
    public Optional<String> upgradeFailure(PeerId peer) {
        return transport.upgradeFailure(peer);
    }
}
