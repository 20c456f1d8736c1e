package org.parley.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import org.parley.node.api.dto.GetFileRequest;
import org.parley.node.api.dto.ShareRequest;
import org.parley.node.api.dto.TransferAnswer;
import org.parley.node.api.dto.TransferIdRequest;
import org.parley.node.api.dto.TransfersAnswer;
import org.parley.node.files.FilesService;
import org.parley.node.files.TransferView;
import org.parley.node.service.ServiceException;

/**
 * The file sharing endpoints, translating to and from {@link FilesService}:
 * {@code POST /api/files/share}, {@code unshare}, {@code get}, {@code GET /api/transfers} and
 * {@code POST /api/transfers/show}, {@code pause}, {@code resume}, {@code cancel}. Sharing
 * hashes the whole file on the request's virtual thread. Thread safe.
 */
public final class FilesRoutes implements ApiRoutes {

    private final FilesService service;

    public FilesRoutes(FilesService service) {
        this.service = service;
    }

    @Override
    public void addTo(Javalin app) {
        app.post(ApiPaths.FILES_SHARE, ctx -> ctx.json(answer(service.share(
                absolutePath(ApiJson.requiredText(ApiJson.body(ctx), ShareRequest.PATH), "path")))));
        app.post(ApiPaths.FILES_UNSHARE, ctx -> ctx.json(answer(service.unshare(id(ctx)))));
        app.post(ApiPaths.FILES_GET, this::get);
        app.get(ApiPaths.TRANSFERS, ctx -> ctx.json(new TransfersAnswer(
                service.transfers().stream().map(FilesRoutes::answer).toList())));
        app.post(ApiPaths.TRANSFERS_SHOW, this::show);
        app.post(ApiPaths.TRANSFERS_PAUSE, ctx -> ctx.json(answer(service.pause(id(ctx)))));
        app.post(ApiPaths.TRANSFERS_RESUME, ctx -> ctx.json(answer(service.resume(id(ctx)))));
        app.post(ApiPaths.TRANSFERS_CANCEL, ctx -> ctx.json(answer(service.cancel(id(ctx)))));
    }

    private void get(Context ctx) {
        JsonNode body = ApiJson.body(ctx);
        String link = ApiJson.requiredText(body, GetFileRequest.LINK);
        Path out = absolutePath(ApiJson.requiredText(body, GetFileRequest.OUT), "out");
        ctx.json(answer(service.get(link, out)));
    }

    private void show(Context ctx) throws InterruptedException {
        JsonNode body = ApiJson.body(ctx);
        String id = ApiJson.requiredText(body, TransferIdRequest.ID);
        int waitMillis = ApiJson.optionalInt(body, TransferIdRequest.WAIT_MILLIS, 0, 0, TransferIdRequest.MAX_WAIT_MILLIS);
        ctx.json(answer(service.transferView(id, Duration.ofMillis(waitMillis))));
    }

    private static String id(Context ctx) {
        return ApiJson.requiredText(ApiJson.body(ctx), TransferIdRequest.ID);
    }

    /** The node runs elsewhere than the CLI's directory: only absolute paths mean the same to both. */
    private static Path absolutePath(String text, String field) {
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            throw ServiceException.badInput("'" + field + "' is not a path: " + e.getReason());
        }
        if (!path.isAbsolute()) {
            throw ServiceException.badInput("'" + field + "' must be an absolute path, got '" + text + "'");
        }
        return path;
    }

    static TransferAnswer answer(TransferView view) {
        return new TransferAnswer(view.fileId(), view.kind(), view.name(), view.state(), view.bytesDone(),
                view.bytesTotal(), view.bytesPerSecond(), view.etaSeconds(), view.peers(), view.piecesDone(),
                view.piecesTotal(), view.piecesFetched(), view.path(), view.link(), view.error());
    }
}
