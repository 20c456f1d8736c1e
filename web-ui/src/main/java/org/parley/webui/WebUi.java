package org.parley.webui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog of the web UI's files, for the node to serve: the page itself, the page's own
 * assets, and the Lit library modules from their WebJars, each with its Content-Type. Files are
 * read from the class path once and kept; only names that can be ours are looked up (no
 * {@code ..}, no hidden files, only the served extensions). Thread safe.
 */
public final class WebUi {

    /** Where the page's own files are served: {@code /ui/app.js} is {@code static/app.js} in this jar. */
    public static final String ASSET_PREFIX = "/ui/";
    /** Where library modules are served: {@code /lib/lit/index.js} is the lit WebJar's {@code index.js}. */
    public static final String LIBRARY_PREFIX = "/lib/";
    /**
     * The largest file served. The largest library module (lit-html.js) is about 7 KB and the
     * page's own files are a few KB each; a file many times larger is not one of ours.
     */
    static final int MAX_ASSET_BYTES = 512 * 1024;

    private static final String STATIC_ROOT = "org/parley/webui/static/";
    private static final String INDEX = "index.html";
    private static final String WEBJARS_ROOT = "META-INF/resources/webjars/";
    private static final String WEBJARS_MAVEN = "META-INF/maven/org.webjars.npm/";
    /** The names the import map uses under {@link #LIBRARY_PREFIX}, and the WebJar each one is. */
    private static final Map<String, String> LIBRARIES = Map.of(
            "lit", "lit",
            "lit-html", "lit-html",
            "lit-element", "lit-element",
            "reactive-element", "lit__reactive-element");
    /**
     * A relative path of lower-case segments that each start with a letter or digit (so never
     * {@code .} or {@code ..}), ending in an extension the page uses.
     */
    private static final Pattern SAFE_PATH =
            Pattern.compile("(?:[a-z0-9][a-z0-9_.-]*/)*[a-z0-9][a-z0-9_.-]*\\.(js|css|svg)");
    private static final Pattern IMPORT_MAP =
            Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL);
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    private final ClassLoader loader;
    private final byte[] page;
    private final String importMapHash;
    private final Map<String, String> libraryVersions;
    private final Map<String, WebAsset> cache = new ConcurrentHashMap<>();

    private WebUi(ClassLoader loader, byte[] page, String importMapHash, Map<String, String> libraryVersions) {
        this.loader = loader;
        this.page = page;
        this.importMapHash = importMapHash;
        this.libraryVersions = libraryVersions;
    }

    /**
     * Reads the page and the library versions from this jar and the WebJars beside it.
     *
     * @throws IllegalStateException if the jar is incomplete (a build fault, not a user's)
     */
    public static WebUi load() {
        ClassLoader loader = WebUi.class.getClassLoader();
        byte[] page = read(loader, STATIC_ROOT + INDEX)
                .orElseThrow(() -> new IllegalStateException("the web-ui jar lacks " + STATIC_ROOT + INDEX));
        Map<String, String> versions = new ConcurrentHashMap<>();
        LIBRARIES.forEach((name, webjar) -> versions.put(name, webjarVersion(loader, webjar)));
        return new WebUi(loader, page, hashImportMap(new String(page, StandardCharsets.UTF_8)), Map.copyOf(versions));
    }

    /** The page, {@code index.html}; served at {@code /}. */
    public WebAsset page() {
        return new WebAsset(page, "text/html; charset=utf-8");
    }

    /**
     * The Content-Security-Policy source that allows the page's one inline element, its import
     * map (which is data, not code; browsers cannot load an import map from a file), e.g.
     * {@code 'sha256-...'}.
     */
    public String importMapHash() {
        return importMapHash;
    }

    /** One of the page's own files, by its path under {@link #ASSET_PREFIX}; empty if there is none. */
    public Optional<WebAsset> asset(String path) {
        if (!SAFE_PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        return cached("asset:" + path, STATIC_ROOT + path);
    }

    /**
     * A library module, by the library's import-map name and the path inside it (e.g. {@code lit},
     * {@code directives/repeat.js}); empty if there is none. The {@code unsafe-*} directives,
     * which would insert unescaped HTML, are not served.
     */
    public Optional<WebAsset> library(String name, String path) {
        String version = libraryVersions.get(name);
        if (version == null || !SAFE_PATH.matcher(path).matches() || path.contains("unsafe-")) {
            return Optional.empty();
        }
        return cached("lib:" + name + "/" + path, WEBJARS_ROOT + LIBRARIES.get(name) + "/" + version + "/" + path);
    }

    private Optional<WebAsset> cached(String key, String resource) {
        WebAsset hit = cache.get(key);
        if (hit != null) {
            return Optional.of(hit);
        }
        Optional<WebAsset> asset = read(loader, resource).map(bytes -> new WebAsset(bytes, contentType(resource)));
        asset.ifPresent(found -> cache.put(key, found));
        return asset;
    }

    private static String contentType(String resource) {
        String extension = resource.substring(resource.lastIndexOf('.') + 1);
        return CONTENT_TYPES.get(extension);
    }

    private static Optional<byte[]> read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readNBytes(MAX_ASSET_BYTES + 1);
            if (bytes.length > MAX_ASSET_BYTES) {
                throw new IllegalStateException(resource + " is larger than " + MAX_ASSET_BYTES
                        + " bytes; the web UI serves no file that large");
            }
            return Optional.of(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource + " from the class path failed", e);
        }
    }

    private static String webjarVersion(ClassLoader loader, String webjar) {
        String resource = WEBJARS_MAVEN + webjar + "/pom.properties";
        Properties properties = new Properties();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the WebJar " + webjar + " is not on the class path (" + resource + ")");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource + " failed", e);
        }
        String version = properties.getProperty("version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException(resource + " names no version");
        }
        return version;
    }

    static String hashImportMap(String html) {
        Matcher matcher = IMPORT_MAP.matcher(html);
        if (!matcher.find()) {
            throw new IllegalStateException("index.html has no <script type=\"importmap\">");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(matcher.group(1).getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
