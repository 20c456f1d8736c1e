package org.parley.node.api;

import io.javalin.Javalin;
import java.util.List;
import org.parley.node.BootstrapPeers;
import org.parley.node.api.dto.BootstrapAnswer;
import org.parley.node.api.dto.BootstrapAnswer.BootstrapPeerAnswer;
import org.parley.node.api.dto.ConnectRequest;

/**
 * The bootstrap peers, editable while the node runs: {@code GET /api/bootstrap} lists them,
 * {@code POST /api/bootstrap/add} and {@code /remove} (with {@code multiaddr}) change them at once
 * and for later starts, translating to and from {@link BootstrapPeers}. Thread safe.
 */
public final class BootstrapRoutes implements ApiRoutes {

    private final BootstrapPeers peers;

    public BootstrapRoutes(BootstrapPeers peers) {
        this.peers = peers;
    }

    @Override
    public void addTo(Javalin app) {
        app.get(ApiPaths.BOOTSTRAP, ctx -> ctx.json(answer(peers.list())));
        app.post(ApiPaths.BOOTSTRAP_ADD, ctx -> ctx.json(answer(peers.add(
                ApiJson.requiredText(ApiJson.body(ctx), ConnectRequest.MULTIADDR)))));
        app.post(ApiPaths.BOOTSTRAP_REMOVE, ctx -> ctx.json(answer(peers.remove(
                ApiJson.requiredText(ApiJson.body(ctx), ConnectRequest.MULTIADDR)))));
    }

    private static BootstrapAnswer answer(List<BootstrapPeers.Peer> list) {
        return new BootstrapAnswer(list.stream().map(p -> new BootstrapPeerAnswer(p.address().toString(),
                p.configured() ? "config" : "added", p.connected())).toList());
    }
}
