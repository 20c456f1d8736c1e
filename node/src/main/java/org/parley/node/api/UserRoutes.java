package org.parley.node.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import org.parley.dht.KadDht;
import org.parley.dht.UserRendezvous;
import org.parley.dht.query.ProvidersResult;
import org.parley.dht.routing.PeerRef;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.peer.PeerId;

/**
 * The endpoint that finds a user's online devices by hashed ID, {@code POST /api/find-user}: the
 * providers of the user's rendezvous key ({@link UserRendezvous}), with their addresses. Until
 * identities exist a user is named by a device's PeerId, whose key stands in for the identity key.
 * Lookups block the request's virtual thread. Thread safe.
 */
public final class UserRoutes implements ApiRoutes {

    /**
     * A user has a handful of devices; a full GET_PROVIDERS answer (20) leaves room for all of them
     * and stops a lookup that a flood of fake providers would drag on.
     */
    static final int MAX_DEVICES = DhtRoutes.DEFAULT_PROVIDER_LIMIT;

    /** {@code find-user}: the user as asked, the rendezvous key looked up, and the devices found. */
    public record FindUserAnswer(String peer, String rendezvousKey, List<DhtRoutes.DhtPeer> devices) {}

    private final KadDht dht;

    public UserRoutes(KadDht dht) {
        this.dht = dht;
    }

    @Override
    public void addTo(Javalin app) {
        app.post("/api/find-user", this::findUser);
    }

    private void findUser(Context ctx) {
        PeerId user = NodeRoutes.parsePeerId(ApiJson.requiredText(ApiJson.body(ctx), "peer"));
        byte[] key = UserRendezvous.key(identityKey(user));
        String keyText = Base58.encode(key);
        DhtRoutes.requirePeers(dht);
        ProvidersResult result = dht.findProviders(key, MAX_DEVICES, provider -> { });
        if (result.providers().isEmpty()) {
            throw ApiException.notFound("no device of user " + user + " is online: nobody provides its rendezvous key "
                    + keyText + " (asked " + result.stats().requests() + " peers); the devices may be offline or"
                    + " not yet announced: try again later, and check that this node joined the DHT"
                    + " (parley dht routing-table; start it with --bootstrap)");
        }
        List<DhtRoutes.DhtPeer> devices = new ArrayList<>();
        for (PeerRef provider : result.providers()) {
            devices.add(new DhtRoutes.DhtPeer(provider.id().toBase58(), DhtRoutes.addresses(withAddresses(provider))));
        }
        ctx.json(new FindUserAnswer(user.toBase58(), keyText, devices));
    }

    /** The key the user's rendezvous key derives from: inlined in Ed25519 (and secp256k1) PeerIds only. */
    private static PublicKey identityKey(PeerId user) {
        PublicKey key = user.inlinedPublicKey();
        if (key == null) {
            throw ApiException.badRequest(user + " is an RSA/ECDSA PeerId: its key is not inside it (the PeerId"
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
        return dht.findPeer(provider.id()).peer().orElse(provider);
    }
}
