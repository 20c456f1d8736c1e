package org.parley.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import org.parley.node.api.dto.DownloadRateAnswer;
import org.parley.node.files.DownloadRateLimit;

/**
 * The download limit setting: {@code GET /api/settings/download-rate} reads it and {@code POST}
 * (with {@code maxDownloadRate}, bytes a second, 0 for none) changes it for running and later
 * downloads, translating to and from {@link DownloadRateLimit}. Thread safe.
 */
public final class DownloadRateRoutes implements ApiRoutes {

    private final DownloadRateLimit limit;

    public DownloadRateRoutes(DownloadRateLimit limit) {
        this.limit = limit;
    }

    @Override
    public void addTo(Javalin app) {
        app.get(ApiPaths.SETTINGS_DOWNLOAD_RATE, ctx -> ctx.json(new DownloadRateAnswer(limit.bytesPerSecond())));
        app.post(ApiPaths.SETTINGS_DOWNLOAD_RATE, ctx -> {
            JsonNode field = ApiJson.body(ctx).get(DownloadRateAnswer.MAX_DOWNLOAD_RATE);
            if (field == null || !field.isIntegralNumber() || !field.canConvertToLong()) {
                throw ApiException.badRequest("field '" + DownloadRateAnswer.MAX_DOWNLOAD_RATE
                        + "' must be a number of bytes a second (0 for no limit)");
            }
            ctx.json(new DownloadRateAnswer(limit.set(field.longValue())));
        });
    }
}
