package org.parley.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.node.web.UiFixture.expect;
import static org.parley.node.web.UiFixture.screenshot;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.ParleyNode;
import org.parley.node.api.FilesWebRoutes;

/**
 * The Files screen in Debian's Chromium, on two whole nodes over loopback (and a third as the DHT
 * server both bootstrap from): Alice picks a 20 MiB file, which the page uploads to her node and
 * her node shares from its data dir's {@code shared/}; she copies its link; Bob opens the link, his
 * page's progress bar moves from empty to full by the node's live events, and "Show file" hands his
 * browser a file whose sha256 is the original's. Mistakes (an empty file, a bad link) are messages
 * in the page. Screenshots at desktop and phone width go to {@code target/screenshots/}.
 */
@Tag("ui")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiFilesBrowserTest {

    /** Uploading, hashing and fetching 20 MiB on a busy shared machine: generous, and only a ceiling. */
    private static final double WAIT_MS = 120_000;
    /** Markup in a file name stays text on both pages. */
    private static final String NAME = "holiday <img src=x onerror=alert(1)>.bin";
    private static final int FILE_BYTES = 20 * 1024 * 1024;
    /**
     * Records every value the download's progress bar shows, from the moment the observer is set:
     * the bar is inside the view's shadow root, so the observer watches that root's subtree.
     */
    private static final String RECORD_PROGRESS = """
            () => {
              window.progressSeen = [];
              const root = document.querySelector('parley-app').shadowRoot
                  .querySelector('parley-files-view').shadowRoot;
              const record = () => root.querySelectorAll('li.download progress').forEach(bar => {
                const value = Number(bar.getAttribute('value'));
                const seen = window.progressSeen;
                if (seen.length === 0 || seen[seen.length - 1] !== value) seen.push(value);
              });
              new MutationObserver(record).observe(root, { subtree: true, childList: true, attributes: true });
            }""";

    @TempDir
    static Path dirs;

    private UiFixture ui;
    private ParleyNode alice;
    private ParleyNode bob;

    @BeforeAll
    void startNodesAndBrowser() throws Exception {
        ui = new UiFixture(dirs, WAIT_MS);
        ParleyNode server = ui.node("server", List.of());
        alice = ui.node("alice", List.of(server.dialableAddresses().getFirst()));
        bob = ui.node("bob", List.of(server.dialableAddresses().getFirst()));
    }

    @AfterAll
    void stopAll() throws Exception {
        if (ui != null) {
            ui.close();
        }
    }

    @AfterEach
    void closeTestResources() throws Exception {
        ui.closeScoped();
    }

    @Test
    void aliceSharesTwentyMibAndBobDownloadsItByLinkWithTheBarMovingAndTheSameSha256() throws Exception {
        byte[] content = new byte[FILE_BYTES];
        new Random(20).nextBytes(content);
        Path original = dirs.resolve(NAME);
        Files.write(original, content);

        var aliceContext = ui.desktop();
        aliceContext.grantPermissions(List.of("clipboard-read", "clipboard-write"));
        Page alicePage = ui.page(aliceContext);
        alicePage.navigate(alice.apiEndpoint().webUri() + "#/files");
        expect(alicePage.getByText("Nothing shared or downloaded yet.")).isVisible();
        screenshot(alicePage, "files-empty-desktop");

        alicePage.getByLabel("Choose a file to share").setInputFiles(original);
        Locator share = alicePage.locator("li.transfer.share");
        expect(share).hasAttribute("data-state", "seeding");
        expect(share.locator(".name")).hasText(NAME);
        expect(alicePage.locator("#files-notice")).containsText("Shared " + NAME);
        Path copy = dirs.resolve("alice").resolve(FilesWebRoutes.SHARED_DIR).resolve(NAME);
        assertThat(copy).hasSameBinaryContentAs(original);
        String link = share.locator("code.link").textContent();
        assertThat(link).startsWith("magnet:?xt=urn:parley:");
        Locator copyLink = alicePage.getByRole(AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Copy link of " + NAME));
        copyLink.click();
        expect(copyLink).hasText("Copied");
        assertThat(alicePage.evaluate("navigator.clipboard.readText()")).isEqualTo(link);
        screenshot(alicePage, "files-shared-desktop");

        Page bobPage = ui.page(ui.phone());
        bobPage.navigate(bob.apiEndpoint().webUri() + "#/files");
        expect(bobPage.getByText("Nothing shared or downloaded yet.")).isVisible();
        bobPage.evaluate(RECORD_PROGRESS);
        bobPage.getByLabel("File link").fill(link);
        bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Download")).click();

        Locator download = bobPage.locator("li.transfer.download");
        expect(download).hasAttribute("data-state", "done");
        expect(download.locator("progress")).hasAttribute("value", Integer.toString(FILE_BYTES));
        @SuppressWarnings("unchecked")
        List<Number> seen = (List<Number>) bobPage.evaluate("window.progressSeen");
        assertThat(seen).as("the bar's values, in order").isNotEmpty();
        assertThat(seen.getFirst().longValue()).as("it started short of full").isLessThan(FILE_BYTES);
        assertThat(seen.getLast().longValue()).isEqualTo(FILE_BYTES);
        // A long name and link fit the phone's width: no sideways scrolling.
        assertThat(((Number) bobPage.evaluate("document.documentElement.scrollWidth - window.innerWidth")).intValue())
                .isLessThanOrEqualTo(0);
        screenshot(bobPage, "files-downloaded-phone");

        Download saved = bobPage.waitForDownload(() -> download.getByRole(AriaRole.LINK,
                new Locator.GetByRoleOptions().setName("Show file " + NAME)).click());
        // The node names the file; Chromium replaces the characters it will not put in a file name.
        assertThat(saved.suggestedFilename()).isEqualTo(NAME.replace('<', '_').replace('>', '_'));
        Path got = dirs.resolve("from-browser.bin");
        saved.saveAs(got);
        Path received = dirs.resolve("bob").resolve(FilesWebRoutes.RECEIVED_DIR).resolve(NAME);
        assertThat(received).hasSameBinaryContentAs(original);
        assertThat(got).hasSize(FILE_BYTES);
        assertThat(sha256(Files.readAllBytes(got))).isEqualTo(sha256(content));
        assertThat(ui.consoleProblems).isEmpty();
    }

    @Test
    void anEmptyFileAndABadLinkAreMessagesInThePage() throws Exception {
        Page page = ui.page(ui.phone());
        page.navigate(alice.apiEndpoint().webUri() + "#/files");
        expect(page.getByLabel("Choose a file to share")).isVisible();

        page.getByLabel("Choose a file to share").setInputFiles(new FilePayload("empty.txt", "text/plain", new byte[0]));
        expect(page.locator("#share-problem")).hasText("Could not share empty.txt: the file is empty; an empty file"
                + " cannot be shared.");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Download")).click();
        expect(page.locator("#fetch-problem")).containsText("Paste a file link first");
        Locator link = page.getByLabel("File link");
        link.fill("magnet:?xt=urn:parley:nonsense");
        link.press("Enter");
        Locator problem = page.locator("#fetch-problem");
        expect(problem).containsText("Could not download: bad link");
        expect(link).hasValue("magnet:?xt=urn:parley:nonsense");
        assertThat(problem.textContent()).doesNotContain("Exception", "org.parley", "java.");
        screenshot(page, "files-errors-phone");
        // Each refusal is logged by Chromium as a failed request; nothing else went wrong.
        assertThat(ui.consoleProblems).allMatch(text -> text.contains("status of 400"));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
