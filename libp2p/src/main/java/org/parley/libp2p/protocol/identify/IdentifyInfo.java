package org.parley.libp2p.protocol.identify;

import java.util.List;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * What a peer says about itself in identify: its key, addresses, protocols and versions. Immutable.
 *
 * <p>Every field may be absent, because an identify push carries only what changed (absent means
 * unchanged, see {@link #updatedBy}). Scalars are then null; the lists are empty, as the wire
 * cannot tell an empty list from an absent one.
 *
 * @param publicKey the sender's identity key, or null
 * @param listenAddrs where the sender accepts connections, usually without {@code /p2p/}
 * @param protocols the protocol ids the sender accepts on inbound streams
 * @param observedAddr the receiver's address as the sender sees this connection, or null
 * @param protocolVersion the network family, for example {@code ipfs/0.1.0}, or null
 * @param agentVersion the software, for example {@code parley/0.1.0}, or null
 * @param signedPeerRecord the sender's addresses signed by its key, or null
 */
public record IdentifyInfo(
        PublicKey publicKey,
        List<Multiaddr> listenAddrs,
        List<String> protocols,
        Multiaddr observedAddr,
        String protocolVersion,
        String agentVersion,
        SignedPeerRecord signedPeerRecord) {

    /** A null list is read as empty. */
    public IdentifyInfo {
        listenAddrs = listenAddrs == null ? List.of() : List.copyOf(listenAddrs);
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
    }

    /** An info with every field absent: the starting point of a push that changes nothing. */
    public static IdentifyInfo empty() {
        return new IdentifyInfo(null, List.of(), List.of(), null, null, null, null);
    }

    /** This info as sent on one connection: the same, with that connection's observed address. */
    public IdentifyInfo withObservedAddr(Multiaddr observed) {
        return new IdentifyInfo(publicKey, listenAddrs, protocols, observed, protocolVersion, agentVersion,
                signedPeerRecord);
    }

    /** The same info without a signed peer record. */
    public IdentifyInfo withoutSignedPeerRecord() {
        return new IdentifyInfo(publicKey, listenAddrs, protocols, observedAddr, protocolVersion, agentVersion,
                null);
    }

    /**
     * This info with a push applied: each field present in {@code push} replaces ours, absent
     * ones (null, or an empty list) leave ours as it was.
     */
    public IdentifyInfo updatedBy(IdentifyInfo push) {
        return new IdentifyInfo(
                push.publicKey != null ? push.publicKey : publicKey,
                !push.listenAddrs.isEmpty() ? push.listenAddrs : listenAddrs,
                !push.protocols.isEmpty() ? push.protocols : protocols,
                push.observedAddr != null ? push.observedAddr : observedAddr,
                push.protocolVersion != null ? push.protocolVersion : protocolVersion,
                push.agentVersion != null ? push.agentVersion : agentVersion,
                push.signedPeerRecord != null ? push.signedPeerRecord : signedPeerRecord);
    }
}
