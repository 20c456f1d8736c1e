package org.parley.libp2p.host.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.StreamHandler;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multistream.ProtocolNotSupportedException;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.identify.Identify;
import org.parley.libp2p.protocol.identify.IdentifyInfo;
import org.parley.libp2p.protocol.identify.SignedPeerRecord;
import org.parley.libp2p.record.PeerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs identify for the host: asks every new connection's peer who it is, answers the same
 * question, applies pushes, and pushes our own changes to every connected peer. The results go
 * to the peerstore and out as {@link HostEvent.PeerIdentified}. Thread safe.
 */
final class IdentifyService {

    private static final Logger log = LoggerFactory.getLogger(IdentifyService.class);

    private final PrivateKey identity;
    private final String protocolVersion;
    private final String agentVersion;
    private final Supplier<List<Multiaddr>> listenAddresses;
    private final Supplier<Set<String>> protocols;
    private final DefaultPeerstore peerstore;
    private final ConnectionRegistry registry;
    private final HostThreads threads;
    private final MisbehaviourLog faults;
    private final SharedKeyWarning sharedKeys = new SharedKeyWarning();
    /** Set while a push of the current state is waiting to start, so a burst of changes sends one. */
    private final AtomicBoolean pushPending = new AtomicBoolean();
    private volatile SignedPeerRecord signedRecord;

    IdentifyService(PrivateKey identity, String protocolVersion, String agentVersion,
            Supplier<List<Multiaddr>> listenAddresses, Supplier<Set<String>> protocols, DefaultPeerstore peerstore,
            ConnectionRegistry registry, HostThreads threads, MisbehaviourLog faults) {
        this.faults = faults;
        this.identity = identity;
        this.protocolVersion = protocolVersion;
        this.agentVersion = agentVersion;
        this.listenAddresses = listenAddresses;
        this.protocols = protocols;
        this.peerstore = peerstore;
        this.registry = registry;
        this.threads = threads;
    }

    /** Signs a new peer record of our listen addresses; call when they change. */
    void listenAddressesChanged() {
        List<Multiaddr> addresses = listenAddresses.get();
        signedRecord = addresses.isEmpty() ? null
                : SignedPeerRecord.sign(new PeerRecord(PeerId.fromPublicKey(identity.publicKey()), nextSeq(), addresses), identity);
    }

    /** Serves {@link Identify#PROTOCOL_ID}: tells the asking peer who we are. */
    StreamHandler responder() {
        return stream -> Identify.respond(stream, localInfo().withObservedAddr(stream.connection().remoteAddress()));
    }

    /** Serves {@link Identify#PUSH_PROTOCOL_ID}: applies what a peer says has changed. */
    StreamHandler pushReceiver() {
        return stream -> {
            IdentifyInfo push = Identify.receivePush(stream);
            apply((HostConnection) stream.connection(), push, true);
        };
    }

    /**
     * Asks the peer of a new connection who it is, on the caller's thread; completes the
     * connection's identified future whatever happens.
     */
    void identify(HostConnection connection) {
        try (Stream stream = connection.newStream(List.of(Identify.PROTOCOL_ID))) {
            apply(connection, Identify.request(stream), false);
        } catch (ProtocolNotSupportedException e) {
            log.debug("{} does not serve identify", connection.remotePeer());
        } catch (PeerFaultException e) {
            if (connection.isOpen()) {
                faults.report("peer {} at {} sent a bad identify: {}", connection.remotePeer(),
                        connection.remoteAddress(), e.getMessage());
                connection.close();
            } else {
                // The muxer failed under identify; the stream loop reports that once.
                log.debug("identify of {} ended with its connection: {}", connection.remotePeer(), e.getMessage());
            }
        } catch (ConnectionClosedException e) {
            log.debug("identify of {} ended early: {}", connection.remotePeer(), e.getMessage());
        } catch (IOException e) {
            log.debug("identify of {} failed: {}", connection.remotePeer(), e.toString());
        } finally {
            connection.identified().complete(null);
        }
    }

    /** Announces a change of our protocols or addresses to every connected peer that takes pushes. */
    void localStateChanged() {
        if (pushPending.compareAndSet(false, true)) {
            threads.start("identify-push", this::pushToAll);
        }
    }

    private void pushToAll() {
        // Cleared before the state is read: a change after this point schedules another push.
        pushPending.set(false);
        IdentifyInfo info = localInfo();
        for (HostConnection connection : registry.all()) {
            Set<String> theirs = peerstore.protocols(connection.remotePeer());
            if (!connection.isOpen() || (!theirs.isEmpty() && !theirs.contains(Identify.PUSH_PROTOCOL_ID))) {
                continue;
            }
            threads.start("identify-push-" + connection.remotePeer(), () -> pushTo(connection, info));
        }
    }

    private void pushTo(HostConnection connection, IdentifyInfo info) {
        try (Stream stream = connection.newStream(List.of(Identify.PUSH_PROTOCOL_ID))) {
            Identify.push(stream, info.withObservedAddr(connection.remoteAddress()));
        } catch (IOException e) {
            log.debug("identify push to {} failed: {}", connection.remotePeer(), e.toString());
        }
    }

    private void apply(HostConnection connection, IdentifyInfo info, boolean push) {
        // A full identify lists everything, so empty lists mean "none"; in a push they mean "unchanged".
        List<Multiaddr> addresses = push && info.listenAddrs().isEmpty() ? null : info.listenAddrs();
        List<String> announced = push && info.protocols().isEmpty() ? null : info.protocols();
        if (info.observedAddr() != null) {
            connection.observedAddress(info.observedAddr());
        }
        boolean[] sharedKey = new boolean[1];
        registry.whileRegistered(connection, () -> {
            sharedKey[0] = peerstore.identified(connection.remotePeer(), connection, addresses, announced,
                    info.protocolVersion(), info.agentVersion());
            registry.emitWhileRegistered(connection, new HostEvent.PeerIdentified(connection.remotePeer(), connection));
        });
        // A relayed connection is identified during the peer's start, often before its features
        // registered their protocols, and the direct connection that replaces it after: the two
        // differ without any copied key, so a peer with a limited connection is not warned about.
        if (sharedKey[0] && !push && registry.of(connection.remotePeer()).stream().noneMatch(c -> c.limited())) {
            sharedKeys.warn(connection);
        }
    }

    private IdentifyInfo localInfo() {
        return new IdentifyInfo(identity.publicKey(), listenAddresses.get(), List.copyOf(protocols.get()), null,
                protocolVersion, agentVersion, signedRecord);
    }

    /** Peer record sequence numbers must grow; like go, we use the time, in nanoseconds. */
    private static long nextSeq() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
