package org.parley.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.node.web.UiFixture.expect;
import static org.parley.node.web.UiFixture.screenshot;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.RequestOptions;
import com.microsoft.playwright.options.SameSiteAttribute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.ParleyNode;
import org.parley.node.ParleyVersion;
import org.parley.node.api.ApiEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI in Debian's Chromium through Playwright, against whole nodes on loopback: the token
 * flow, the refusals, the Content-Security-Policy, the network screen and its live updates, and
 * peer-supplied text shown as text. Screenshots of each state at desktop and phone width go to
 * {@code target/screenshots/}.
 */
@Tag("ui")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiBrowserTest {

    private static final Logger log = LoggerFactory.getLogger(WebUiBrowserTest.class);
    /** Live updates and page loads on a busy shared machine: generous, and only a ceiling. */
    private static final double WAIT_MS = 20_000;
    private static final String HOSTILE_AGENT = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";

    @RegisterExtension
    static final UiFixture ui = UiFixture.perClass(WAIT_MS);

    private ParleyNode node;
    private List<String> consoleProblems;

    @BeforeAll
    void startNode() throws Exception {
        consoleProblems = ui.consoleProblems;
        node = ui.node("a", List.of());
    }

    @Test
    void theTokenUrlLeavesTheAddressBarForAStrictHttpOnlyCookie() {
        BrowserContext context = newContext(1280, 800);
        Page page = openPage(context);
        ApiEndpoint api = node.apiEndpoint();

        Response response = page.navigate(api.webUri() + "#/network");

        assertThat(page.url()).isEqualTo("http://127.0.0.1:" + api.port() + "/#/network");
        assertThat(response.status()).isEqualTo(200);
        Cookie cookie = context.cookies().stream().filter(c -> c.name.equals("parley-token-" + api.port()))
                .findFirst().orElseThrow();
        assertThat(cookie.value).isEqualTo(api.token());
        assertThat(cookie.httpOnly).isTrue();
        assertThat(cookie.sameSite).isEqualTo(SameSiteAttribute.STRICT);
        assertThat(cookie.path).isEqualTo("/");
        expect(page.locator("#peer-id")).hasText(node.host().peerId().toBase58());
        // HttpOnly: the page's own scripts cannot read the token.
        assertThat(page.evaluate("document.cookie")).isEqualTo("");
    }

    @Test
    void thePageHasAStrictPolicyAndBreaksNoneOfIt() {
        Page page = openPage(newContext(1280, 800));

        Response response = page.navigate(node.apiEndpoint().webUri() + "#/network");
        expect(page.getByText("Live", new Page.GetByTextOptions().setExact(true))).isVisible();
        expect(page.locator("#dht-mode")).hasText("server");

        String policy = response.headers().get("content-security-policy");
        assertThat(policy).contains("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'",
                "base-uri 'none'", "connect-src 'self' ws://127.0.0.1:" + node.apiEndpoint().port())
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(response.headers()).containsEntry("x-content-type-options", "nosniff")
                .containsEntry("referrer-policy", "no-referrer");
        assertThat(consoleProblems).isEmpty();
    }

    @Test
    void noTokenIsRefusedWithAMessageNotAPage() {
        Page page = openPage(newContext(1280, 800));

        Response response = page.navigate("http://127.0.0.1:" + node.apiEndpoint().port() + "/");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.text()).contains("\"error\":\"unauthorized\"", "open the URL the node printed at start")
                .doesNotContain("parley-app", "at org.", "Exception");
        assertThat(page.locator("parley-app").count()).isZero();
    }

    @Test
    void aForeignOriginIsRefusedEvenWithTheCookie() {
        BrowserContext context = newContext(1280, 800);
        Page page = openPage(context);
        page.navigate(node.apiEndpoint().webUri() + "#/network");
        expect(page.locator("#peer-id")).hasText(node.host().peerId().toBase58());

        APIResponse own = context.request().get("http://127.0.0.1:" + node.apiEndpoint().port() + "/api/id");
        APIResponse foreign = context.request().get("http://127.0.0.1:" + node.apiEndpoint().port() + "/api/id",
                RequestOptions.create().setHeader("Origin", "http://attacker.example"));

        assertThat(own.status()).as("the same request from the page's origin").isEqualTo(200);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.text()).contains("requests from origin 'http://attacker.example' are not allowed");
    }

    @Test
    void theNetworkScreenShowsThisNode() {
        Page page = openPage(newContext(1280, 800));

        page.navigate(node.apiEndpoint().webUri() + "#/network");

        expect(page.locator("#peer-id")).hasText(node.host().peerId().toBase58());
        expect(page.locator("#rendezvous-key")).not().isEmpty();
        Locator addresses = page.getByRole(com.microsoft.playwright.options.AriaRole.LIST,
                new Page.GetByRoleOptions().setName("Listen addresses")).locator("code");
        expect(addresses).hasText(node.dialableAddresses().stream().map(Multiaddr::toString).toArray(String[]::new));
        expect(page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Copy PeerId"))).isVisible();
        expect(page.locator("#dht-mode")).hasText("server");
        expect(page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                new Page.GetByRoleOptions().setName("Network"))).hasAttribute("aria-current", "page");
        assertThat(consoleProblems).isEmpty();
    }

    @Test
    void worksByKeyboardAndCopiesThePeerId() {
        BrowserContext context = newContext(1280, 800);
        context.grantPermissions(List.of("clipboard-read", "clipboard-write"));
        Page page = openPage(context);
        page.navigate(node.apiEndpoint().webUri() + "#/network");
        expect(page.locator("#peer-id")).hasText(node.host().peerId().toBase58());

        page.keyboard().press("Tab");
        expect(page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                new Page.GetByRoleOptions().setName("Skip to content"))).isFocused();
        page.keyboard().press("Enter");
        expect(page.locator("main")).isFocused();
        page.keyboard().press("Tab");
        Locator copy = page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Copy PeerId"));
        expect(copy).isFocused();
        page.keyboard().press("Enter");

        expect(copy).hasText("Copied");
        assertThat(page.evaluate("navigator.clipboard.readText()")).isEqualTo(node.host().peerId().toBase58());
        assertThat(consoleProblems).isEmpty();
    }

    @Test
    void aSecondNodeAppearsLiveAndDisappearsWhenItLeaves() throws Exception {
        Page desktop = openPage(newContext(1280, 800));
        Page phone = openPage(newContext(390, 844));
        for (Page page : List.of(desktop, phone)) {
            page.navigate(node.apiEndpoint().webUri() + "#/network");
            expect(page.getByText("Live", new Page.GetByTextOptions().setExact(true))).isVisible();
            expect(page.getByText("No connections.")).isVisible();
        }
        screenshot(desktop, "network-alone-desktop");
        screenshot(phone, "network-alone-phone");

        ParleyNode second = startNode("b", List.of(node.dialableAddresses().getFirst()));
        String secondId = second.host().peerId().toBase58();
        for (Page page : List.of(desktop, phone)) {
            Locator row = page.locator("tr.peer[data-peer-id='" + secondId + "']");
            expect(row).isVisible();
            // Filled in by identify, announced by peer.identified: still no reload.
            expect(row.locator(".agent")).hasText("parley/" + ParleyVersion.version());
            expect(page.locator("#routing-table-size")).hasText("1 peer");
        }
        screenshot(desktop, "network-connected-desktop");
        screenshot(phone, "network-connected-phone");

        second.close();
        for (Page page : List.of(desktop, phone)) {
            expect(page.locator("tr.peer")).hasCount(0);
            expect(page.getByText("No connections.")).isVisible();
        }
        assertThat(consoleProblems).isEmpty();
    }

    @Test
    void bootstrapPeersAreAddedAndRemovedLiveAndKeptAcrossARestart() throws Exception {
        ParleyNode peer = startNode("d", List.of());
        String peerAddress = peer.dialableAddresses().getFirst().toString();
        ParleyNode edited = startNode("e", List.of());
        Page page = openPage(newContext(1280, 800));
        page.navigate(edited.apiEndpoint().webUri() + "#/network");
        expect(page.getByText("No bootstrap peers")).isVisible();

        // Mistakes are messages, and the typed text stays.
        Locator input = page.getByLabel("Bootstrap peer address");
        Locator add = page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Add").setExact(true));
        input.fill("nonsense");
        add.click();
        expect(page.locator("#bootstrap-problem")).containsText("Could not add it: bad multiaddr 'nonsense'");
        expect(input).hasValue("nonsense");
        input.fill(peer.dialableAddresses().getFirst().withoutPeerId().toString());
        input.press("Enter");
        expect(page.locator("#bootstrap-problem")).containsText("must end in /p2p/<PeerId>");

        input.fill(peerAddress);
        add.click();
        Locator row = page.locator("li.bootstrap[data-multiaddr='" + peerAddress + "']");
        expect(row.locator(".state")).hasText("connected");
        expect(page.locator("tr.peer[data-peer-id='" + peer.host().peerId().toBase58() + "']")).isVisible();
        screenshot(page, "network-bootstrap-desktop");
        Page phone = openPage(newContext(390, 844));
        phone.navigate(edited.apiEndpoint().webUri() + "#/network");
        expect(phone.locator("li.bootstrap[data-multiaddr='" + peerAddress + "'] .state")).hasText("connected");
        screenshot(phone, "network-bootstrap-phone");

        // Kept in the database: a restarted node dials it again. (The pages go first, so that their
        // event sockets do not try the stopped node.)
        phone.close();
        page.close();
        edited.close();
        ParleyNode restarted = startNode("e", List.of());
        page = openPage(newContext(1280, 800));
        page.navigate(restarted.apiEndpoint().webUri() + "#/network");
        row = page.locator("li.bootstrap[data-multiaddr='" + peerAddress + "']");
        expect(row.locator(".state")).hasText("connected");

        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Remove bootstrap peer " + peerAddress)).click();
        expect(page.getByText("No bootstrap peers")).isVisible();
        page.reload();
        expect(page.locator("#peer-id")).hasText(restarted.host().peerId().toBase58());
        expect(page.getByText("No bootstrap peers")).isVisible();
        // Each refusal is logged by Chromium as a failed request; nothing else went wrong.
        assertThat(consoleProblems).allMatch(text -> text.contains("status of 400"));
    }

    @Test
    void everyScreenFitsAPhoneWithoutSidewaysScrollingAndIsPhotographedAtBothWidths() {
        Page desktop = openPage(newContext(1280, 800));
        Page phone = openPage(newContext(390, 844));
        for (String screen : List.of("chats", "files", "contacts", "devices", "you", "network")) {
            for (Page page : List.of(desktop, phone)) {
                page.navigate(node.apiEndpoint().webUri() + "#/" + screen);
                expect(page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                        new Page.GetByRoleOptions().setName(Character.toUpperCase(screen.charAt(0)) + screen.substring(1))
                                .setExact(true))).hasAttribute("aria-current", "page");
                expect(page.locator("main h2").first()).isVisible();
                Object sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
                assertThat(((Number) sideways).intValue()).as("sideways overflow of %s at %s px", screen,
                        page.viewportSize().width).isLessThanOrEqualTo(0);
            }
            screenshot(desktop, "screen-" + screen + "-desktop");
            screenshot(phone, "screen-" + screen + "-phone");
        }
        assertThat(consoleProblems).isEmpty();
    }

    @Test
    void aHostileAgentVersionShowsAsText() throws Exception {
        Page page = openPage(newContext(1280, 800));
        page.onDialog(dialog -> {
            consoleProblems.add("dialog: " + dialog.message());
            dialog.dismiss();
        });
        page.navigate(node.apiEndpoint().webUri() + "#/network");
        expect(page.getByText("Live", new Page.GetByTextOptions().setExact(true))).isVisible();

        Host hostile = Libp2p.newHost().identity(Ed25519PrivateKey.generate()).listen(List.of(UiFixture.LOOPBACK_RANDOM_PORT)).agentVersion(HOSTILE_AGENT).build();
        ui.closeAfterTest(hostile::close);
        hostile.start();
        hostile.connect(node.dialableAddresses().getFirst());

        Locator row = page.locator("tr.peer[data-peer-id='" + hostile.peerId().toBase58() + "']");
        expect(row.locator(".agent")).hasText(HOSTILE_AGENT);
        assertThat(row.locator("img").count()).isZero();
        assertThat(row.locator("script").count()).isZero();
        assertThat(page.evaluate("window.pwned === undefined")).isEqualTo(true);
        screenshot(page, "network-hostile-agent-desktop");
        assertThat(consoleProblems).isEmpty();
    }

    /** Longer than the page's first reconnect waits (api.js: 0.5 s, doubled), so that several attempts fail. */
    private static final double RECONNECT_ATTEMPTS_MS = 4_000;

    @Test
    void aStoppedNodeShowsAnErrorMessageInThePage() throws Exception {
        ParleyNode doomed = startNode("c", List.of());
        Page desktop = openPage(newContext(1280, 800));
        Page phone = openPage(newContext(390, 844));
        for (Page page : List.of(desktop, phone)) {
            page.navigate(doomed.apiEndpoint().webUri() + "#/network");
            expect(page.getByText("Live", new Page.GetByTextOptions().setExact(true))).isVisible();
        }

        doomed.close();

        for (Page page : List.of(desktop, phone)) {
            Locator alert = page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT);
            expect(alert).containsText("Lost the connection to the node's live updates; reconnecting.");
            expect(alert).not().containsText("Exception");
        }
        screenshot(desktop, "error-banner-desktop");
        screenshot(phone, "error-banner-phone");
        desktop.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Dismiss the error")).click();
        expect(desktop.locator("parley-error-banner .banner")).hasCount(0);
        // The page goes on trying to reconnect; a dismissed message stays dismissed while the node
        // is still away (each attempt is a new 'lost', not a new loss).
        desktop.waitForTimeout(RECONNECT_ATTEMPTS_MS);
        expect(desktop.locator("parley-error-banner .banner")).hasCount(0);
    }

    @Test
    void measuresThePagesSizeAndTimeToInteractive() {
        Page page = openPage(newContext(1280, 800));

        page.navigate(node.apiEndpoint().webUri() + "#/network");
        // Checked on every animation frame: the first frame with the PeerId shown and live updates on.
        Number interactiveMs = (Number) page.waitForFunction("""
                () => {
                  const view = document.querySelector('parley-app')?.shadowRoot
                      ?.querySelector('parley-network-view')?.shadowRoot;
                  const live = view?.querySelector('.dot.live');
                  return view?.querySelector('#peer-id')?.textContent && live ? performance.now() : null;
                }""", null, new Page.WaitForFunctionOptions().setTimeout(WAIT_MS)).jsonValue();
        expect(page.locator("#peer-id")).hasText(node.host().peerId().toBase58());
        @SuppressWarnings("unchecked")
        Map<String, Object> measured = (Map<String, Object>) page.evaluate("""
                () => {
                  const entries = [...performance.getEntriesByType('navigation'),
                                   ...performance.getEntriesByType('resource')];
                  return {
                    files: entries.length,
                    transferred: entries.reduce((sum, e) => sum + e.transferSize, 0),
                    bodies: entries.reduce((sum, e) => sum + e.decodedBodySize, 0),
                    loadedMs: Math.round(performance.getEntriesByType('navigation')[0].loadEventEnd),
                  };
                }""");

        int files = ((Number) measured.get("files")).intValue();
        long transferred = ((Number) measured.get("transferred")).longValue();
        long bodies = ((Number) measured.get("bodies")).longValue();
        // The page, its own modules and stylesheet, and Lit's modules; the event socket is not a resource entry.
        assertThat(files).isGreaterThan(5);
        assertThat(bodies).isPositive();
        // Javalin compresses the larger files, so fewer bytes cross the wire than the files hold.
        assertThat(transferred).isPositive();
        assertThat(interactiveMs.doubleValue()).isPositive();
        // WARN: the test logging shows warnings only, and this line is what the test is for.
        log.warn("web UI page: {} files, {} bytes transferred ({} bytes of content); load event after {} ms;"
                + " interactive (PeerId shown, live updates on) after {} ms", files, transferred, bodies,
                measured.get("loadedMs"), Math.round(interactiveMs.doubleValue()));
    }

    private ParleyNode startNode(String name, List<Multiaddr> bootstrap) throws Exception {
        return ui.scopedNode(name, bootstrap);
    }

    private BrowserContext newContext(int width, int height) {
        return ui.context(width, height);
    }

    private Page openPage(BrowserContext context) {
        return ui.page(context);
    }
}
