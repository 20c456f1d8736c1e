package org.parley.node.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import org.parley.node.api.dto.FetchFileRequest;
import org.parley.node.api.dto.TransferIdRequest;
import org.parley.node.files.FilesService;
import org.parley.node.files.TransferView;
import org.parley.node.service.ServiceException;

/**
 * The file routes a browser needs, since a page can neither name a local path nor receive one:
 * {@code POST /api/files/upload?name=} streams the request body into the data dir's
 * {@code shared/} (see {@link FileUploads}) and shares it from there; {@code POST /api/files/fetch}
 * downloads a link into the data dir's {@code received/}; {@code GET /api/files/content?id=}
 * serves a shared or downloaded file back to the browser as an attachment. Thread safe.
 */
public final class FilesWebRoutes implements ApiRoutes {

    /** Under the data dir: the files the web page uploaded to share. */
    public static final String SHARED_DIR = "shared";
    /** Under the data dir: the files the web page downloaded. */
    public static final String RECEIVED_DIR = "received";
    /** The states in which a transfer's file is whole on disk. */
    /** The upload's query parameter: the name the file had on the user's machine. */
    public static final String NAME_PARAMETER = "name";
    private static final Set<String> WHOLE = Set.of("seeding", "done");

    private final FilesService service;
    private final FileUploads uploads;
    private final Path receivedDir;

    public FilesWebRoutes(FilesService service, FileUploads uploads, Path receivedDir) {
        this.service = service;
        this.uploads = uploads;
        this.receivedDir = receivedDir.toAbsolutePath().normalize();
    }

    /** Routes that upload into {@code dataDir/shared} and download into {@code dataDir/received}. */
    public static FilesWebRoutes under(FilesService service, Path dataDir) {
        return new FilesWebRoutes(service, FileUploads.into(dataDir.resolve(SHARED_DIR)), dataDir.resolve(RECEIVED_DIR));
    }

    @Override
    public void addTo(Javalin app) {
        app.post(ApiPaths.FILES_UPLOAD, this::upload);
        app.post(ApiPaths.FILES_FETCH, this::fetch);
        app.get(ApiPaths.FILES_CONTENT, this::content);
    }

    private void upload(Context ctx) throws IOException {
        String name = ctx.queryParam(NAME_PARAMETER);
        if (name == null || name.isBlank()) {
            throw ApiException.badRequest("missing query parameter 'name': the file's name");
        }
        Path written;
        try (InputStream body = ctx.req().getInputStream()) {
            written = uploads.write(name, ctx.req().getContentLengthLong(), body);
        }
        try {
            ctx.json(FilesRoutes.answer(service.share(written)));
        } catch (RuntimeException e) {
            // Not shared: the copy would only take space.
            Files.deleteIfExists(written);
            throw e;
        }
    }

    private void fetch(Context ctx) throws IOException {
        String link = ApiJson.requiredText(ApiJson.body(ctx), FetchFileRequest.LINK);
        Files.createDirectories(receivedDir);
        ctx.json(FilesRoutes.answer(service.get(link, receivedDir)));
    }

    private void content(Context ctx) throws IOException {
        String id = ctx.queryParam(TransferIdRequest.ID);
        if (id == null || id.isBlank()) {
            throw ApiException.badRequest("missing query parameter 'id': the file id");
        }
        TransferView view = service.transferView(id);
        if (!WHOLE.contains(view.state())) {
            throw ServiceException.badInput("'" + view.name() + "' is " + view.state()
                    + "; it can be opened once it is whole");
        }
        Path file = Path.of(view.path());
        InputStream in;
        long size;
        try {
            size = Files.size(file);
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw ServiceException.notFound("'" + view.name() + "' is no longer at " + file
                    + "; it was moved or deleted");
        }
        ctx.header(Header.CONTENT_DISPOSITION, "attachment; filename*=UTF-8''"
                + URLEncoder.encode(view.name(), StandardCharsets.UTF_8).replace("+", "%20"));
        // Sent as it is: compressing would break the length and gains nothing on encrypted or packed files.
        ctx.disableCompression();
        ctx.header(Header.CONTENT_LENGTH, Long.toString(size));
        ctx.contentType("application/octet-stream");
        ctx.result(in);
    }
}
