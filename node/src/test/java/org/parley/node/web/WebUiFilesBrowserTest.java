package org.parley.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.node.web.UiFixture.expect;
import static org.parley.node.web.UiFixture.screenshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIRequestContext;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.node.ParleyNode;
import org.parley.node.api.FilesWebRoutes;
import org.parley.node.files.FilesFeature;

/**
 * The Files screen in Debian's Chromium, on two whole nodes over loopback (and a third as the DHT
 * server both bootstrap from): Alice picks a 20 MiB file, which the page uploads to her node and
 * her node shares from its data dir's {@code shared/}; she copies its link; Bob opens the link, his
 * page's progress bar moves from empty to full by the node's live events, and "Show file" hands his
 * browser a file whose sha256 is the original's. A download limit set on the screen (kept by the
 * node) slows a download enough to pause it (its bytes stop), resume it (they move on) and cancel
 * it (no partial file is left). Mistakes (an empty file, a bad link, a limit too low) are messages
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
    /** The slow download: 32 pieces of 256 KiB, half a minute at {@link #LIMIT_KIB} with nothing else slowing it. */
    private static final int SLOW_FILE_BYTES = 8 * 1024 * 1024;
    private static final String SLOW_NAME = "slow.bin";
    /** The download limit the page sets: one 256 KiB piece a second. */
    private static final int LIMIT_KIB = 256;
    /** The size of each piece of a file this small (ChunkSizes.DEFAULT_CHUNK_SIZE). */
    private static final long PIECE_BYTES = 256 * 1024;
    /** A peer's worker verifying one piece and its writer storing another: both land after a pause. */
    private static final int PIECES_IN_HAND_AT_PAUSE = 2;
    /**
     * How long the test watches a paused download for bytes that should not come, twice: five
     * pieces' time at the limit, so that a piece held by the limit when Pause was pressed (at most
     * one second's) has long landed before the second watch. A load on the machine can only make
     * fewer bytes come, never more, so this wait cannot fail a correct node.
     */
    private static final double WATCH_PAUSED_MS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Page.WaitForConditionOptions LONG_WAIT = new Page.WaitForConditionOptions().setTimeout(WAIT_MS);

    @RegisterExtension
    static final UiFixture ui = UiFixture.perClass(WAIT_MS);

    private ParleyNode alice;
    private ParleyNode bob;

    @BeforeAll
    void startNodes() throws Exception {
        alice = ui.user("alice");
        bob = ui.user("bob");
    }

    @Test
    void aliceSharesTwentyMibAndBobDownloadsItByLinkWithTheBarMovingAndTheSameSha256() throws Exception {
        byte[] content = new byte[FILE_BYTES];
        new Random(20).nextBytes(content);
        Path original = ui.dirs().resolve(NAME);
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
        Path copy = ui.dirs().resolve("alice").resolve(FilesWebRoutes.SHARED_DIR).resolve(NAME);
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
        bobPage.evaluate(UiFixture.RECORD_PROGRESS);
        bobPage.getByLabel("File link").fill(link);
        bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Download")).click();

        Locator download = bobPage.locator("li.transfer.download");
        expect(download).hasAttribute("data-state", "done");
        expect(download.locator("progress")).hasAttribute("value", Integer.toString(FILE_BYTES));
        List<Long> seen = UiFixture.progressSeen(bobPage);
        assertThat(seen).as("the bar's values, in order").isNotEmpty();
        assertThat(seen.getFirst()).as("it started short of full").isLessThan(FILE_BYTES);
        assertThat(seen.getLast()).isEqualTo(FILE_BYTES);
        // A long name and link fit the phone's width: no sideways scrolling.
        assertThat(((Number) bobPage.evaluate("document.documentElement.scrollWidth - window.innerWidth")).intValue())
                .isLessThanOrEqualTo(0);
        screenshot(bobPage, "files-downloaded-phone");

        Download saved = bobPage.waitForDownload(() -> download.getByRole(AriaRole.LINK,
                new Locator.GetByRoleOptions().setName("Show file " + NAME)).click());
        // The node names the file; Chromium replaces the characters it will not put in a file name.
        assertThat(saved.suggestedFilename()).isEqualTo(NAME.replace('<', '_').replace('>', '_'));
        Path got = ui.dirs().resolve("from-browser.bin");
        saved.saveAs(got);
        Path received = ui.dirs().resolve("bob").resolve(FilesWebRoutes.RECEIVED_DIR).resolve(NAME);
        assertThat(received).hasSameBinaryContentAs(original);
        assertThat(got).hasSize(FILE_BYTES);
        assertThat(UiFixture.sha256(Files.readAllBytes(got))).isEqualTo(UiFixture.sha256(content));
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

    @Test
    void aLowDownloadLimitSetInThePageSlowsADownloadEnoughToPauseResumeAndCancelIt() throws Exception {
        byte[] content = new byte[SLOW_FILE_BYTES];
        new Random(8).nextBytes(content);
        // Nodes of their own: the limit is kept in the downloader's database, and Alice's and Bob's
        // lists stay as the other tests expect them.
        ParleyNode seeder = ui.scopedNode("slow-seeder", ui.bootstrap());
        APIResponse shared = ui.api(seeder).post("/api/files/upload?name=" + SLOW_NAME,
                RequestOptions.create().setData(content));
        assertThat(shared.status()).as(shared.text()).isEqualTo(200);
        JsonNode share = JSON.readTree(shared.text());
        String link = share.get("link").asText();
        String fileId = share.get("fileId").asText();
        ParleyNode slow = ui.scopedNode("slow", ui.bootstrap());
        APIRequestContext api = ui.api(slow);

        Page page = ui.page(ui.desktop());
        page.navigate(slow.apiEndpoint().webUri() + "#/files");
        Locator limit = page.getByLabel("Download limit in KiB/s (0 for no limit)");
        expect(limit).hasValue("0");
        expect(page.locator("#rate-now")).hasText("Now: no limit.");
        Locator save = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save limit"));
        limit.fill("5");
        save.click();
        expect(page.locator("#rate-problem")).hasText("Give a whole number of KiB/s, at least 16, or 0 for no limit.");
        limit.fill(Integer.toString(LIMIT_KIB));
        limit.press("Enter");
        expect(page.locator("#rate-notice")).hasText("Downloads are limited to " + LIMIT_KIB + " KiB/s.");
        expect(page.locator("#rate-problem")).isEmpty();
        assertThat(JSON.readTree(api.get("/api/settings/download-rate").text()).get("maxDownloadRate").asLong())
                .isEqualTo(LIMIT_KIB * 1024L);
        // The node checks too: a limit below its lowest is refused with a message, and nothing changes.
        APIResponse tooLow = api.post("/api/settings/download-rate", RequestOptions.create()
                .setData(Map.of("maxDownloadRate", 100)));
        assertThat(tooLow.status()).isEqualTo(400);
        assertThat(tooLow.text()).contains("a download limit is 0 (no limit) or 16384 to");
        page.reload();
        expect(limit).hasValue(Integer.toString(LIMIT_KIB));
        screenshot(page, "files-download-limit-desktop");

        page.getByLabel("File link").fill(link);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Download")).click();
        Locator download = page.locator("li.transfer.download");
        Locator bar = download.locator("progress");
        expect(download).hasAttribute("data-state", "running");
        page.waitForCondition(() -> bytesDone(api, fileId) > 0, LONG_WAIT);
        screenshot(page, "files-download-limited-desktop");

        // Paused: the bytes stop. The pieces already past the limit when Pause was pressed may still
        // land: at most two, the one its peer's worker was verifying and the one its writer was storing.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pause " + SLOW_NAME)).click();
        expect(download).hasAttribute("data-state", "paused");
        long atPause = bytesDone(api, fileId);
        page.waitForTimeout(WATCH_PAUSED_MS);
        long settled = bytesDone(api, fileId);
        String barSettled = bar.getAttribute("value");
        page.waitForTimeout(WATCH_PAUSED_MS);
        assertThat(settled - atPause).as("bytes after Pause").isLessThanOrEqualTo(PIECES_IN_HAND_AT_PAUSE * PIECE_BYTES);
        assertThat(bytesDone(api, fileId)).as("bytes while paused").isEqualTo(settled);
        assertThat(bar.getAttribute("value")).as("the bar while paused").isEqualTo(barSettled);
        assertThat(settled).as("the limit kept the download from finishing").isLessThan(SLOW_FILE_BYTES);
        screenshot(page, "files-download-paused-desktop");
        Page phone = ui.page(ui.phone());
        phone.navigate(slow.apiEndpoint().webUri() + "#/files");
        expect(phone.locator("li.transfer.download")).hasAttribute("data-state", "paused");
        expect(phone.getByLabel("Download limit in KiB/s (0 for no limit)")).hasValue(Integer.toString(LIMIT_KIB));
        screenshot(phone, "files-download-paused-phone");
        assertThat(UiFixture.scrollsSideways(phone)).as("the phone-width Files screen scrolls sideways").isFalse();
        phone.close();

        // Resumed: the bytes and the bar move on from the verified pieces.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resume " + SLOW_NAME)).click();
        expect(download).hasAttribute("data-state", "running");
        page.waitForCondition(() -> bytesDone(api, fileId) > settled, LONG_WAIT);
        expect(bar).not().hasAttribute("value", barSettled);

        // Cancelled: the download ends, and no partial file is left anywhere.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel " + SLOW_NAME)).click();
        expect(download).hasAttribute("data-state", "cancelled");
        expect(download.getByRole(AriaRole.BUTTON)).hasCount(0);
        Path downloads = ui.dirs().resolve("slow").resolve(FilesFeature.DOWNLOADS_DIR);
        page.waitForCondition(() -> !Files.exists(downloads.resolve(fileId + ".part"))
                && !Files.exists(downloads.resolve(fileId + ".bits")), LONG_WAIT);
        assertThat(ui.dirs().resolve("slow").resolve(FilesWebRoutes.RECEIVED_DIR).resolve(SLOW_NAME)).doesNotExist();
        assertThat(JSON.readTree(api.post("/api/transfers/show", RequestOptions.create()
                .setData(Map.of("id", fileId))).text()).get("state").asText()).isEqualTo("cancelled");
        screenshot(page, "files-download-cancelled-desktop");
        // The refused "5" never reached the node (the page checks first); nothing else went wrong.
        assertThat(ui.consoleProblems).isEmpty();
    }

    /** The bytes of download {@code fileId} verified and written, as the node reports them. */
    private static long bytesDone(APIRequestContext api, String fileId) {
        APIResponse shown = api.post("/api/transfers/show", RequestOptions.create().setData(Map.of("id", fileId)));
        assertThat(shown.status()).as(shown.text()).isEqualTo(200);
        try {
            return JSON.readTree(shown.text()).get("bytesDone").asLong();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
