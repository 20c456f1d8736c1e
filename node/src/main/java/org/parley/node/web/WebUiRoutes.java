package org.parley.node.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import org.parley.node.api.ApiAccess;
import org.parley.node.api.ApiException;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.ApiRoutes;
import org.parley.webui.WebAsset;
import org.parley.webui.WebUi;

/**
 * Serves the web UI: the page at {@code /}, its files under {@value WebUi#ASSET_PREFIX} and the
 * Lit modules under {@value WebUi#LIBRARY_PREFIX}. The API server has checked every request (token,
 * Host, Origin) before it arrives here.
 *
 * <p>The token flow: the node prints {@code /?token=T}; that first load answers with an HttpOnly,
 * SameSite=Strict cookie holding T and a redirect to {@code /}, which takes the token out of the
 * address bar and the history. From then on the page, its files, its API calls and its WebSocket
 * authenticate by the cookie, which no other site's page can send or read. Thread safe.
 */
final class WebUiRoutes implements ApiRoutes {

    private final WebUi ui;

    WebUiRoutes(WebUi ui) {
        this.ui = ui;
    }

    @Override
    public void addTo(Javalin app) {
        app.get(ApiPaths.ROOT, this::page);
        app.get(WebUi.ASSET_PREFIX + "<path>", ctx -> send(ctx, ui.asset(ctx.pathParam("path"))
                .orElseThrow(() -> notFound(ctx))));
        app.get(WebUi.LIBRARY_PREFIX + "{library}/<path>", ctx -> send(ctx,
                ui.library(ctx.pathParam("library"), ctx.pathParam("path")).orElseThrow(() -> notFound(ctx))));
    }

    private void page(Context ctx) {
        String token = ctx.queryParam(ApiAccess.TOKEN_PARAMETER);
        if (token != null) {
            // The token was checked before this handler ran; it is URL-safe base64, safe in a cookie.
            ctx.header(Header.SET_COOKIE, ApiAccess.cookieName(ctx.port()) + "=" + token
                    + "; Path=/; HttpOnly; SameSite=Strict");
            ctx.header(Header.LOCATION, ApiPaths.ROOT);
            ctx.status(HttpStatus.SEE_OTHER);
            return;
        }
        ctx.header(Header.CONTENT_SECURITY_POLICY, PagePolicy.forHost(ctx.header(Header.HOST), ui.importMapHash()));
        send(ctx, ui.page());
    }

    private static void send(Context ctx, WebAsset asset) {
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    private static ApiException notFound(Context ctx) {
        return ApiException.notFound("the web UI has no file " + ctx.path());
    }
}
