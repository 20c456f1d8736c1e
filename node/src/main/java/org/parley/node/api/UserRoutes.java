package org.parley.node.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.api.dto.FindUserAnswer;
import org.parley.node.api.dto.PeerRequest;
import org.parley.node.identity.UserDirectory;
import org.parley.node.service.UserInput;

/**
 * The endpoint that finds a user's online devices by hashed ID, {@code POST /api/find-user},
 * translating to and from {@link UserDirectory}. Lookups block the request's virtual thread.
 * Thread safe.
 */
public final class UserRoutes implements ApiRoutes {

    private final UserDirectory directory;

    public UserRoutes(UserDirectory directory) {
        this.directory = directory;
    }

    @Override
    public void addTo(Javalin app) {
        app.post(ApiPaths.FIND_USER, this::findUser);
    }

    private void findUser(Context ctx) {
        PeerId user = UserInput.peerId(ApiJson.requiredText(ApiJson.body(ctx), PeerRequest.PEER));
        UserDirectory.UserDevices found = directory.find(user);
        ctx.json(new FindUserAnswer(user.toBase58(), Base58.encode(found.rendezvousKey()),
                found.devices().stream().map(Answers::dhtPeer).toList()));
    }
}
