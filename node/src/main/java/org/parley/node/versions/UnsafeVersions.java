package org.parley.node.versions;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unsafe-version list a node uses: empty until loaded, then what {@link UnsafeVersionSource}
 * gave if its signature holds. A list that cannot be read, is malformed or is not signed by the
 * pinned key is ignored with one log line saying why, and the list in force stays (empty, or the
 * last good one: someone who cannot sign cannot lift a warning either). The node runs on either
 * way. Thread safe.
 */
public final class UnsafeVersions {

    private static final Logger log = LoggerFactory.getLogger(UnsafeVersions.class);

    /** A list of {@link UnsafeVersionList#MAX_ENTRIES} entries of a few hundred bytes each fits; more is no list. */
    public static final int MAX_FILE_BYTES = 512 * 1024;

    /** A list server that has not answered in this long is down; the node does not wait on it longer. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How often a running node reads the list again: a maintainer's new entry reaches nodes within
     * this, and a list server sees each node four times a day.
     */
    public static final Duration RELOAD_PERIOD = Duration.ofHours(6);

    private final AtomicReference<UnsafeVersionList> list = new AtomicReference<>(UnsafeVersionList.EMPTY);

    /** The list in force: empty when none is configured, not loaded yet, or ignored. */
    public UnsafeVersionList list() {
        return list.get();
    }

    /**
     * Loads the list from {@code source} now (on a background thread) and again every
     * {@link #RELOAD_PERIOD} until the returned handle is closed; nothing when {@code source} is null.
     */
    public AutoCloseable keepLoaded(UnsafeVersionSource source) {
        if (source == null) {
            return () -> { };
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("unsafe-versions").daemon().factory());
        timer.scheduleWithFixedDelay(() -> load(source), 0, RELOAD_PERIOD.toSeconds(), TimeUnit.SECONDS);
        return timer::shutdownNow;
    }

    /**
     * Loads the list from {@code source} (null: none configured) and keeps it if its signature holds;
     * otherwise logs one line and keeps the empty list. Blocking (a URL is fetched).
     *
     * @return whether a list is now in force
     */
    public boolean load(UnsafeVersionSource source) {
        if (source == null) {
            return false;
        }
        try {
            UnsafeVersionList loaded = SignedVersionList.open(read(source), source.key());
            list.set(loaded);
            log.info("unsafe-version list {} loaded: {} entries", source.location(), loaded.entries().size());
            return true;
        } catch (InvalidVersionListException | IOException e) {
            log.warn("unsafe-version list {} ignored: {}", source.location(), e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String read(UnsafeVersionSource source) throws IOException, InterruptedException {
        byte[] bytes;
        if (source.isUrl()) {
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL).build()) {
                HttpRequest request = HttpRequest.newBuilder(source.uri()).timeout(FETCH_TIMEOUT).GET().build();
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    if (response.statusCode() != 200) {
                        throw new IOException("the server answered HTTP " + response.statusCode());
                    }
                    bytes = body.readNBytes(MAX_FILE_BYTES + 1);
                }
            }
        } else {
            Path file = Path.of(source.location());
            if (!Files.isRegularFile(file)) {
                throw new IOException("there is no such file; check the unsafeVersions setting");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IOException("it is over " + MAX_FILE_BYTES + " bytes, so it is no unsafe-version list");
            }
            bytes = Files.readAllBytes(file);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IOException("it is over " + MAX_FILE_BYTES + " bytes, so it is no unsafe-version list");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("it is not UTF-8 text", e);
        }
    }
}
