package org.parley.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WebUiTest {

    private final WebUi ui = WebUi.load();

    @Test
    void pageLoadsItsScriptFromAFileAndHasNoInlineCode() {
        String page = new String(ui.page().bytes(), StandardCharsets.UTF_8);
        assertThat(ui.page().contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(page).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
        // Every <script> is either the import map (data) or loads a file.
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(page);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(1)).matches(" type=\"importmap\"| type=\"module\" src=\"[^\"]+\"");
        }
        assertThat(count).isEqualTo(2);
        assertThat(page).doesNotContainPattern(" on[a-z]+=").doesNotContain("javascript:");
    }

    @Test
    void importMapHashIsTheSha256OfTheImportMapText() throws Exception {
        String page = new String(ui.page().bytes(), StandardCharsets.UTF_8);
        String map = page.substring(page.indexOf("<script type=\"importmap\">") + "<script type=\"importmap\">".length(),
                page.indexOf("</script>"));
        String expected = "'sha256-" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(map.getBytes(StandardCharsets.UTF_8))) + "'";
        assertThat(ui.importMapHash()).isEqualTo(expected);
    }

    @Test
    void importMapTargetsResolveToLibraryModules() {
        String page = new String(ui.page().bytes(), StandardCharsets.UTF_8);
        Matcher targets = Pattern.compile("\"/lib/([a-z-]+)/([a-z0-9_./-]+\\.js)\"").matcher(page);
        int count = 0;
        while (targets.find()) {
            count++;
            assertThat(ui.library(targets.group(1), targets.group(2)))
                    .as("/lib/%s/%s", targets.group(1), targets.group(2)).isPresent();
        }
        assertThat(count).isEqualTo(3);
    }

    @Test
    void servesLitModulesAsJavaScript() {
        WebAsset index = ui.library("lit", "index.js").orElseThrow();
        assertThat(index.contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(new String(index.bytes(), StandardCharsets.UTF_8)).contains("lit-element/lit-element.js");
        assertThat(ui.library("lit", "directives/repeat.js")).isPresent();
        assertThat(ui.library("reactive-element", "css-tag.js")).isPresent();
    }

    @Test
    void servesThePagesOwnFilesWithTheirTypes() {
        assertThat(ui.asset("app.js").orElseThrow().contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(ui.asset("page.css").orElseThrow().contentType()).isEqualTo("text/css; charset=utf-8");
        assertThat(ui.asset("icon.svg").orElseThrow().contentType()).isEqualTo("image/svg+xml");
    }

    @Test
    void refusesPathsOutsideItsFiles() {
        assertThat(ui.asset("../WebUi.class")).isEmpty();
        assertThat(ui.asset("../../../../META-INF/MANIFEST.MF")).isEmpty();
        assertThat(ui.asset("/etc/passwd")).isEmpty();
        assertThat(ui.asset(".hidden.js")).isEmpty();
        assertThat(ui.asset("index.html")).as("the page is served at / only").isEmpty();
        assertThat(ui.asset("missing.js")).isEmpty();
        assertThat(ui.library("lit", "../../lit-html/3.3.2/lit-html.js")).isEmpty();
        assertThat(ui.library("lit", "package.json")).isEmpty();
        assertThat(ui.library("jquery", "index.js")).isEmpty();
    }

    @Test
    void doesNotServeLitsUnsafeHtmlDirectives() {
        assertThat(ui.library("lit", "directives/unsafe-html.js")).isEmpty();
        assertThat(ui.library("lit-html", "directives/unsafe-svg.js")).isEmpty();
    }

    @Test
    void aPageWithoutImportMapIsABuildFault() {
        assertThatThrownBy(() -> WebUi.hashImportMap("<html></html>"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("index.html has no <script type=\"importmap\">");
    }
}
