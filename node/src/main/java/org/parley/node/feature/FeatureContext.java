package org.parley.node.feature;

import java.time.InstantSource;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.node.NodeSettings;
import org.parley.node.dht.DhtService;
import org.parley.node.events.EventBus;
import org.parley.node.nat.NodeWebRtc;
import org.parley.node.storage.NodeStorage;

/**
 * What the node gives every {@link Feature} at start. Immutable; the values it holds are thread
 * safe.
 *
 * <p>Features receive the node's one database and event bus here rather than opening their own.
 *
 * @param host the started libp2p host
 * @param dht the joined (or joining) DHT, with this node's record signing
 * @param deviceKey this device's key (its PeerId); user identities are separate keys, in the
 *     database
 * @param clock the time every feature reads, so tests can move it
 * @param settings the node's effective settings and data dir
 * @param storage the node's database and the storage key that seals secrets in it; features keep
 *     their state there through store interfaces of their own
 * @param events where features publish what the web page shows live
 * @param webrtc the node's WebRTC: whether it is available, and why a peer stays relayed
 * @param services what earlier features offer later ones (see {@link FeatureServices})
 */
public record FeatureContext(Host host, DhtService dht, PrivateKey deviceKey, InstantSource clock,
        NodeSettings settings, NodeStorage storage, EventBus events, NodeWebRtc webrtc, FeatureServices services) {

    /** A context whose features share a new, empty {@link FeatureServices}. */
    public FeatureContext(Host host, DhtService dht, PrivateKey deviceKey, InstantSource clock,
            NodeSettings settings, NodeStorage storage, EventBus events, NodeWebRtc webrtc) {
        this(host, dht, deviceKey, clock, settings, storage, events, webrtc, new FeatureServices());
    }

    /** A context whose node has no WebRTC (its native library said it cannot run here). */
    public FeatureContext(Host host, DhtService dht, PrivateKey deviceKey, InstantSource clock,
            NodeSettings settings, NodeStorage storage, EventBus events) {
        this(host, dht, deviceKey, clock, settings, storage, events,
                NodeWebRtc.off("this node was started without it"));
    }
}
