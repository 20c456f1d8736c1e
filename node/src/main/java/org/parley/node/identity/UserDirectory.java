package org.parley.node.identity;

import java.util.ArrayList;
import java.util.List;
import org.parley.dht.query.ProvidersResult;
import org.parley.dht.routing.PeerRef;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.dht.DhtService;
import org.parley.node.service.ServiceException;

/**
 * Finds a user's online devices by hashed ID: the providers of the user's rendezvous key
 * ({@link UserRendezvous}), each with its addresses. Until identities exist a user is named by a
 * device's PeerId (the rendezvous of its device key; user IDs are found by the chat feature). Lookups block the caller; thread safe.
 */
public final class UserDirectory {

    /**
     * A user has a handful of devices; a full GET_PROVIDERS answer (20) leaves room for all of them
     * and stops a lookup that a flood of fake providers would drag on.
     */
    static final int MAX_DEVICES = DhtService.DEFAULT_PROVIDER_LIMIT;

    /** The devices found for a user, and the rendezvous key they were found under. */
    public record UserDevices(PeerId user, byte[] rendezvousKey, List<PeerRef> devices) {

        public UserDevices {
            rendezvousKey = rendezvousKey.clone();
            devices = List.copyOf(devices);
        }
    }

    private final DhtService dht;

    public UserDirectory(DhtService dht) {
        this.dht = dht;
    }

    /**
     * The online devices of {@code user}, each with the addresses the DHT knows.
     *
     * @throws ServiceException BAD_INPUT for a PeerId without its key inside, NOT_FOUND if no
     *     device provides the key, UNAVAILABLE without DHT peers
     */
    public UserDevices find(PeerId user) {
        byte[] key = UserRendezvous.key(identityKey(user));
        dht.requirePeers();
        ProvidersResult result = dht.dht().findProviders(key, MAX_DEVICES, provider -> { });
        if (result.providers().isEmpty()) {
            throw ServiceException.notFound("no device of user " + user + " is online: nobody provides its"
                    + " rendezvous key " + Base58.encode(key) + " (asked " + result.stats().requests()
                    + " peers); the devices may be offline or not yet announced: try again later, and check that"
                    + " this node joined the DHT (parley dht routing-table; start it with --bootstrap)");
        }
        List<PeerRef> devices = new ArrayList<>();
        for (PeerRef provider : result.providers()) {
            devices.add(withAddresses(provider));
        }
        return new UserDevices(user, key, devices);
    }

    /** The key the user's rendezvous key derives from: inlined in Ed25519 (and secp256k1) PeerIds only. */
    private static PublicKey identityKey(PeerId user) {
        PublicKey key = user.inlinedPublicKey();
        if (key == null) {
            throw ServiceException.badInput(user + " is an RSA/ECDSA PeerId: its key is not inside it (the PeerId"
                    + " is only a hash of the key), so its rendezvous key cannot be computed; ask for the user's"
                    + " Ed25519 PeerId (12D3KooW...), or reach this one device with parley dht find-peer " + user);
        }
        return key;
    }

    /**
     * The provider with addresses: a provider record may come without them (its addresses expired
     * in the server's cache, or it never sent any), and then find-peer asks the DHT.
     */
    private PeerRef withAddresses(PeerRef provider) {
        if (!provider.addrs().isEmpty()) {
            return provider;
        }
        return dht.dht().findPeer(provider.id()).peer().orElse(provider);
    }
}
