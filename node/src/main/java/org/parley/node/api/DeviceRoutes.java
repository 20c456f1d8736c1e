package org.parley.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.time.Instant;
import java.util.Optional;
import org.parley.node.api.dto.DeviceAnswer;
import org.parley.node.api.dto.DeviceRequest;
import org.parley.node.api.dto.DevicesAnswer;
import org.parley.node.api.dto.LinkCodeAnswer;
import org.parley.node.devices.DeviceService;
import org.parley.node.devices.LinkCode;
import org.parley.node.devices.LinkException;
import org.parley.node.devices.DeviceSyncStatus;
import org.parley.node.devices.LinkCodes;
import org.parley.node.service.ServiceException;

/**
 * The device endpoints: list this user's devices, make a link code (text and QR), draw a link
 * code as a QR code for the page, revoke a device; translating to and from {@link DeviceService}. Where chat does not run, each answers
 * 503 with the reason. Thread safe.
 */
public final class DeviceRoutes implements ApiRoutes {

    private final DeviceService devices;
    private final String unavailable;
    private final DeviceSyncStatus sync;

    private DeviceRoutes(DeviceService devices, String unavailable, DeviceSyncStatus sync) {
        this.devices = devices;
        this.unavailable = unavailable;
        this.sync = sync;
    }

    public static DeviceRoutes of(DeviceService devices) {
        return of(devices, DeviceSyncStatus.NONE);
    }

    /** @param sync each other device's history sync state, for the {@code sync} field */
    public static DeviceRoutes of(DeviceService devices, DeviceSyncStatus sync) {
        return new DeviceRoutes(devices, null, sync);
    }

    /** Routes that answer 503 with {@code reason}. */
    public static DeviceRoutes unavailable(String reason) {
        return new DeviceRoutes(null, reason, DeviceSyncStatus.NONE);
    }

    @Override
    public void addTo(Javalin app) {
        app.get(ApiPaths.DEVICES, ctx -> {
            require();
            Optional<String> identity = Optional.ofNullable(ctx.queryParam(DeviceRequest.IDENTITY))
                    .filter(s -> !s.isBlank());
            ctx.json(answer(identity));
        });
        app.post(ApiPaths.DEVICES_LINK, ctx -> {
            require();
            JsonNode body = ApiJson.body(ctx);
            LinkCodes.Issue issue = devices.link(Optional.ofNullable(ApiJson.optionalText(body, DeviceRequest.IDENTITY)));
            String text = issue.code().format();
            ctx.json(new LinkCodeAnswer(text, issue.expires().toString(), QrSvg.of(text)));
        });
        app.get(ApiPaths.DEVICES_LINK_QR, ctx -> {
            require();
            // Only a well-formed link code is drawn: the route is no general QR service.
            String code = Optional.ofNullable(ctx.queryParam(DeviceRequest.CODE)).orElse("").strip();
            try {
                LinkCode.parse(code);
            } catch (LinkException notACode) {
                throw ServiceException.badInput("Give a link code from \"Link a device\" (it starts with parley-link:).");
            }
            ctx.contentType("image/svg+xml").result(QrSvg.of(code));
        });
        app.post(ApiPaths.DEVICES_REVOKE, ctx -> {
            require();
            JsonNode body = ApiJson.body(ctx);
            Optional<String> identity = Optional.ofNullable(ApiJson.optionalText(body, DeviceRequest.IDENTITY));
            devices.revoke(identity, ApiJson.requiredText(body, DeviceRequest.DEVICE));
            ctx.json(answer(identity));
        });
    }

    /** The devices of {@code identity} with the list's version, each other device with its history sync state. */
    private DevicesAnswer answer(Optional<String> identity) {
        var user = devices.userDevices(identity);
        return new DevicesAnswer(user.user().text(), user.version(), devices.devices(identity).stream()
                .map(d -> new DeviceAnswer(d.peer().toBase58(), d.number(), d.thisDevice(), d.added().toString(),
                        d.lastSeen().map(Instant::toString).orElse(null),
                        d.thisDevice() ? null : sync.describe(d.peer()).orElse(null)))
                .toList());
    }

    private void require() {
        if (unavailable != null) {
            throw new ServiceException(ServiceException.Kind.UNAVAILABLE, unavailable);
        }
    }
}
