package org.parley.node.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.node.api.ApiServer;
import org.parley.webui.WebUi;

/** The web UI's routes behind the real API server, over HTTP on loopback, without a browser. */
class WebUiRoutesTest {

    private static final String TOKEN = "web-ui-test-token";

    private final HttpClient client = HttpClient.newHttpClient();
    private final WebUi ui = WebUi.load();
    private ApiServer server;
    private String base;
    private String cookie;

    @BeforeEach
    void start() throws Exception {
        server = ApiServer.start(0, TOKEN, List.of(new WebUiRoutes(ui)));
        base = "http://127.0.0.1:" + server.port();
        cookie = "parley-token-" + server.port() + "=" + TOKEN;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theTokenUrlSetsAStrictHttpOnlyCookieAndRedirectsToThePageWithoutToken() throws Exception {
        HttpResponse<String> response = get("/?token=" + TOKEN, null);

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/");
        assertThat(response.headers().firstValue("Set-Cookie"))
                .hasValue(cookie + "; Path=/; HttpOnly; SameSite=Strict");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aWrongTokenUrlSetsNoCookie() throws Exception {
        HttpResponse<String> response = get("/?token=" + TOKEN + "x", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void thePageWithTheCookieComesWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> response = get("/", cookie);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).isEqualToIgnoringWhitespace("text/html;charset=utf-8");
        assertThat(response.body()).contains("<parley-app>");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self';"
                + " script-src 'self' " + ui.importMapHash() + "; style-src 'self'; img-src 'self';"
                + " connect-src 'self' ws://127.0.0.1:" + server.port() + "; object-src 'none';"
                + " frame-ancestors 'none'; base-uri 'none'; form-action 'self';"
                + " require-trusted-types-for 'script'; trusted-types lit-html");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    void thePageWithoutTokenOrCookieIsRefusedWithAMessageSayingWhatToOpen() throws Exception {
        HttpResponse<String> response = get("/", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("open the URL the node printed at start");
        assertThat(response.body()).doesNotContain("<parley-app>");
    }

    @Test
    void servesThePagesFilesAndLitModulesWithTheCookie() throws Exception {
        HttpResponse<String> app = get("/ui/app.js", cookie);
        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(app.headers().firstValue("Content-Type").orElseThrow()).isEqualToIgnoringWhitespace("text/javascript;charset=utf-8");
        assertThat(app.body()).contains("customElements.define('parley-app'");

        HttpResponse<String> lit = get("/lib/lit-html/lit-html.js", cookie);
        assertThat(lit.statusCode()).isEqualTo(200);
        assertThat(lit.headers().firstValue("Content-Type").orElseThrow()).isEqualToIgnoringWhitespace("text/javascript;charset=utf-8");
    }

    @Test
    void filesNeedTheTokenToo() throws Exception {
        assertThat(get("/ui/app.js", null).statusCode()).isEqualTo(401);
        assertThat(get("/lib/lit/index.js", null).statusCode()).isEqualTo(401);
    }

    @Test
    void answersUnknownOrUnsafeFilesWith404() throws Exception {
        for (String path : List.of("/ui/nothing.js", "/ui/%2e%2e/WebUi.class", "/lib/lit/directives/unsafe-html.js",
                "/lib/jquery/index.js", "/lib/lit/package.json")) {
            HttpResponse<String> response = get(path, cookie);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).contains("\"error\":\"not_found\"");
        }
    }

    private HttpResponse<String> get(String path, String cookieHeader) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (cookieHeader != null) {
            request.header("Cookie", cookieHeader);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
