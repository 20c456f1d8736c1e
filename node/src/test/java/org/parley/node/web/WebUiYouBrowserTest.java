package org.parley.node.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;

/**
 * The web UI's first run and "your ID" screen in Debian's Chromium, against a whole node on
 * loopback: a fresh node's identity has no display name, the page asks for one, refuses an empty
 * or taken one with a message, keeps markup in a name as text, and then shows the user ID, the invite link
 * and its QR code with copy buttons. Screenshots at desktop and phone width go to
 * {@code target/screenshots/}.
 */
@Tag("ui")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiYouBrowserTest {

    /** Debian's package; scripts/test installs it. */
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final List<String> CHROMIUM_FLAGS = List.of("--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");
    /** Page loads on a busy shared machine: generous, and only a ceiling. */
    private static final double WAIT_MS = 20_000;
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String HOSTILE_NAME = "<img src=x onerror=\"window.pwned=1\">Al";

    @TempDir
    static Path dirs;

    private Playwright playwright;
    private Browser browser;
    private ParleyNode node;
    private final List<String> consoleProblems = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startNodeAndBrowser() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium; scripts/test does it)").isExecutable();
        node = ParleyNode.start(new NodeSettings(new DataDir(dirs.resolve("a")),
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of(), 0, ModePolicy.SERVER));
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM).setArgs(CHROMIUM_FLAGS).setHeadless(true));
        PlaywrightAssertions.setDefaultAssertionTimeout(WAIT_MS);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stopAll() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void firstRunAsksForANameThenShowsTheIdAsTextQrAndLinkWithCopyButtons() throws Exception {
        BrowserContext desktop = context(1280, 800);
        desktop.grantPermissions(List.of("clipboard-read", "clipboard-write"));
        BrowserContext phone = context(390, 844);
        // Opened without a screen named, a first run starts on You.
        Page plain = desktop.newPage();
        plain.navigate(node.apiEndpoint().webUri().toString());
        expect(plain.getByLabel("Your display name")).isVisible();
        assertThat(plain.url()).endsWith("/#/you");
        plain.close();
        Page page = openYou(desktop);
        Page small = openYou(phone);

        Locator nameInput = page.getByLabel("Your display name");
        expect(nameInput).isVisible();
        expect(small.getByLabel("Your display name")).isVisible();
        screenshot(page, "you-first-run-desktop");
        screenshot(small, "you-first-run-phone");

        // An empty name is the user's mistake: a message in the page, nothing sent, the form stays.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();
        expect(page.locator("#name-problem")).containsText("Type a name first");
        expect(nameInput).isFocused();

        // A name another identity of this node has is refused by the node, and the page says so.
        APIResponse created = desktop.request().post("http://127.0.0.1:" + node.apiEndpoint().port()
                + "/api/identities", RequestOptions.create().setData(Map.of("name", "Taken")));
        assertThat(created.status()).isEqualTo(200);
        nameInput.fill("Taken");
        nameInput.press("Enter");
        expect(page.locator("#name-problem")).containsText("exists already; choose another name");
        assertThat(defaultIdentity(desktop).get("displayName").isNull()).isTrue();
        // Chromium logs every refused fetch; this one was expected, and is the only problem so far.
        assertThat(consoleProblems).singleElement().asString().contains("status of 400");
        consoleProblems.clear();

        // Enter submits; markup in the name is shown as text.
        nameInput.fill(HOSTILE_NAME);
        nameInput.press("Enter");
        expect(page.locator("#display-name")).hasText(HOSTILE_NAME);
        assertThat(page.evaluate("window.pwned === undefined")).isEqualTo(true);

        JsonNode identity = defaultIdentity(desktop);
        assertThat(identity.get("displayName").asText()).isEqualTo(HOSTILE_NAME);
        String userId = identity.get("userId").asText();
        String invite = identity.get("inviteLink").asText();
        expect(page.locator("#user-id")).hasText(userId);
        expect(page.locator("#invite-link")).hasText(invite);
        assertThat(invite).startsWith("parley:invite?").contains(userId);

        // The QR code is the node's SVG, loaded as an image under the page's policy.
        Locator qr = page.locator("#invite-qr");
        expect(qr).isVisible();
        page.waitForFunction("() => document.querySelector('parley-app').shadowRoot"
                + ".querySelector('parley-you-view').shadowRoot.querySelector('#invite-qr').naturalWidth > 0");

        Locator copyId = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copy user ID"));
        copyId.click();
        expect(copyId).hasText("Copied");
        assertThat(page.evaluate("navigator.clipboard.readText()")).isEqualTo(userId);
        Locator copyLink = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copy invite link"));
        copyLink.click();
        expect(copyLink).hasText("Copied");
        assertThat(page.evaluate("navigator.clipboard.readText()")).isEqualTo(invite);
        screenshot(page, "you-id-desktop");

        // The phone's tab shows the named identity once it loads the screen again.
        small.reload();
        expect(small.locator("#user-id")).hasText(userId);
        screenshot(small, "you-id-phone");
        assertThat(consoleProblems).isEmpty();
    }

    private Page openYou(BrowserContext context) {
        Page page = context.newPage();
        page.onConsoleMessage(message -> {
            if (message.type().equals("error") || message.type().equals("warning")) {
                consoleProblems.add(message.type() + ": " + message.text());
            }
        });
        page.onPageError(error -> consoleProblems.add("page error: " + error));
        // The fragment survives the token URL's redirect, so the page opens on this screen.
        page.navigate(node.apiEndpoint().webUri() + "#/you");
        assertThat(page.url()).isEqualTo("http://127.0.0.1:" + node.apiEndpoint().port() + "/#/you");
        return page;
    }

    private JsonNode defaultIdentity(BrowserContext context) throws Exception {
        APIResponse answer = context.request().get("http://127.0.0.1:" + node.apiEndpoint().port() + "/api/identities");
        assertThat(answer.status()).isEqualTo(200);
        for (JsonNode identity : new ObjectMapper().readTree(answer.text()).get("identities")) {
            if (identity.get("isDefault").asBoolean()) {
                return identity;
            }
        }
        throw new AssertionError("no default identity in " + answer.text());
    }

    private BrowserContext context(int width, int height) {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)
                .setIsMobile(width < 600));
    }

    private static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    private static LocatorAssertions expect(Locator locator) {
        return PlaywrightAssertions.assertThat(locator);
    }
}
