package org.parley.node.chat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.parley.chat.identity.ChatRendezvous;
import org.parley.dht.query.ProvidersResult;
import org.parley.dht.routing.PeerRef;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.contacts.Contact;
import org.parley.node.dht.DhtService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the devices of a contact: the device last reached, then the invite's address hints
 * (dialed), then the DHT: the providers of the contact's rendezvous key, each with its addresses
 * (find-peer when the provider record has none). Blocking; thread safe.
 */
final class ContactDevices {

    private static final Logger log = LoggerFactory.getLogger(ContactDevices.class);

    /** A user has a handful of devices; a full provider answer (20) leaves room for them all. */
    static final int MAX_DEVICES = DhtService.DEFAULT_PROVIDER_LIMIT;

    /** How long addresses learned from the DHT stay in the peerstore: long enough for a burst of sends. */
    static final Duration LEARNED_ADDRESS_TTL = Duration.ofMinutes(10);

    private final Host host;
    private final DhtService dht;

    ContactDevices(Host host, DhtService dht) {
        this.host = host;
        this.dht = dht;
    }

    /** Peers that may be devices of {@code contact}, best first; empty if none can be found now. */
    List<PeerId> candidates(Contact contact) {
        Set<PeerId> out = new LinkedHashSet<>();
        contact.peerId().ifPresent(p -> out.add(PeerId.parse(p)));
        for (Multiaddr hint : contact.hints()) {
            try {
                out.add(host.connect(hint).remotePeer());
            } catch (IOException | RuntimeException e) {
                log.debug("address hint {} of {} not reachable: {}", hint, contact.userId(), e.toString());
            }
        }
        if (!out.isEmpty() && reachable(out)) {
            return new ArrayList<>(out);
        }
        try {
            dht.requirePeers();
            ProvidersResult found = dht.dht().findProviders(ChatRendezvous.key(contact.userId()), MAX_DEVICES,
                    provider -> { });
            for (PeerRef provider : found.providers()) {
                if (provider.id().equals(host.peerId())) {
                    continue;
                }
                host.peerstore().addAddresses(provider.id(), provider.addrs(), LEARNED_ADDRESS_TTL);
                if (host.connections(provider.id()).isEmpty()) {
                    // The provider record's addresses may be older than the device's last restart.
                    dht.dht().findPeer(provider.id()).peer().ifPresent(
                            p -> host.peerstore().addAddresses(p.id(), p.addrs(), LEARNED_ADDRESS_TTL));
                }
                out.add(provider.id());
            }
        } catch (RuntimeException e) {
            log.debug("DHT lookup of {} failed: {}", contact.userId(), e.toString());
        }
        return new ArrayList<>(out);
    }

    /**
     * Whether one of {@code peers} is connected now. Known addresses alone are not enough: a device
     * that restarted may listen elsewhere, and the DHT has its current addresses.
     */
    private boolean reachable(Set<PeerId> peers) {
        for (PeerId p : peers) {
            if (!host.connections(p).isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
