package org.parley.node.feature;

import java.time.InstantSource;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.node.NodeSettings;
import org.parley.node.dht.DhtService;

/**
 * What the node gives every {@link Feature} at start. Immutable; the values it holds are thread
 * safe.
 *
 * <p>The node's database and event bus join this record as fields once they exist, so features
 * receive them here rather than opening their own.
 *
 * @param host the started libp2p host
 * @param dht the joined (or joining) DHT, with this node's record signing
 * @param deviceKey this device's key, which stands in for the user's identity key until
 *     identities exist
 * @param clock the time every feature reads, so tests can move it
 * @param settings the node's effective settings and data dir
 */
public record FeatureContext(Host host, DhtService dht, PrivateKey deviceKey, InstantSource clock,
        NodeSettings settings) {}
