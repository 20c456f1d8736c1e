package org.parley.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Optional;
import org.parley.node.devices.DeviceRelinker;
import org.parley.node.devices.LinkCode;
import org.parley.node.devices.LinkException;
import org.parley.node.devices.LinkThisStatus;
import org.parley.node.service.ServiceException;

/**
 * {@code /api/devices/link-this}: POST {@code code} checks the code's form and that this node is
 * still fresh, answers 202, and only then hands the code to the {@link DeviceRelinker}, which stops
 * this node and starts it again as the new device (on the same port, with the same token, so the
 * page reconnects by itself); GET answers how the last request went. Thread safe.
 */
public final class LinkThisDeviceRoutes implements ApiRoutes {

    /** The request's field holding the link code. */
    static final String CODE = "code";

    /** Says what a node holds that linking would drop; empty when it is fresh. */
    @FunctionalInterface
    public interface Freshness {
        Optional<String> holds();
    }

    /** The answer of both methods: {@code state} none, linking, linked or failed, and the failure's message. */
    public record LinkThisAnswer(String state, String message) {
        static LinkThisAnswer of(LinkThisStatus status) {
            return new LinkThisAnswer(status.state().wireName(), status.message());
        }
    }

    private final DeviceRelinker relinker;
    private final Freshness freshness;

    public LinkThisDeviceRoutes(DeviceRelinker relinker, Freshness freshness) {
        this.relinker = relinker;
        this.freshness = freshness;
    }

    @Override
    public void addTo(Javalin app) {
        app.get(ApiPaths.DEVICES_LINK_THIS, ctx -> ctx.json(LinkThisAnswer.of(relinker.status())));
        app.post(ApiPaths.DEVICES_LINK_THIS, this::linkThis);
    }

    private void linkThis(Context ctx) throws IOException {
        JsonNode body = ApiJson.body(ctx);
        String code = ApiJson.requiredText(body, CODE).strip();
        try {
            // Only the form here: whether the other device accepts it is known after the restart.
            LinkCode.parse(code);
        } catch (LinkException e) {
            throw ServiceException.badInput(e.getMessage());
        }
        Optional<String> holds = freshness.holds();
        if (holds.isPresent()) {
            throw new ApiException(409, ApiException.CONFLICT, "This node already has " + holds.get()
                    + ", and linking would replace its data. Link a new device instead: start Parley with a new"
                    + " data dir (--data-dir DIR) and link from its page, or run it with --link CODE.");
        }
        Runnable restart;
        try {
            restart = relinker.prepare(code);
        } catch (IllegalStateException e) {
            throw new ApiException(409, ApiException.CONFLICT, e.getMessage());
        }
        // The answer must leave before the node stops: written and flushed here, not after the handler.
        byte[] answer = ApiJson.MAPPER.writeValueAsBytes(LinkThisAnswer.of(LinkThisStatus.LINKING));
        try {
            ctx.status(202);
            ctx.res().setContentType("application/json");
            ctx.res().setContentLength(answer.length);
            ctx.res().getOutputStream().write(answer);
            ctx.res().flushBuffer();
        } finally {
            // Asked for and reserved: it runs even if the page went away meanwhile.
            restart.run();
        }
    }
}
