package org.parley.node.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIRequest;
import com.microsoft.playwright.APIRequestContext;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.DataDir;
import org.parley.node.NodeRunner;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.events.EventSubscription;
import org.parley.node.events.NodeEvent;

/**
 * What every web UI browser test stands on: whole nodes on loopback in data directories of their
 * own, one headless Debian Chromium, browser contexts at desktop or phone width (one per user),
 * pages whose console errors, warnings and uncaught exceptions (CSP violations among them) are
 * collected, and screenshots under {@code target/screenshots/}. A test class registers {@link
 * #perClass} as a static {@code @RegisterExtension}: it starts before the class's {@code
 * @BeforeAll} methods in a temporary directory of its own, ends what each test opened after it
 * ({@link #closeScoped()}), and closes after the class's {@code @AfterAll} methods. Users' nodes
 * ({@link #user}) bootstrap from a DHT server node of the fixture's.
 */
final class UiFixture implements AutoCloseable, BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    /** Debian's package; scripts/test installs it. */
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final List<String> CHROMIUM_FLAGS = List.of("--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");
    static final Multiaddr LOOPBACK_RANDOM_PORT = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final int DESKTOP_WIDTH = 1280;
    static final int DESKTOP_HEIGHT = 800;
    /** A common phone's CSS viewport. */
    static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;
    /** Below this width a context is a phone (touch, mobile viewport); the page's own breakpoint is 640 px. */
    private static final int PHONE_BELOW = 600;

    private final double waitMs;
    private Path dirs;
    /** The temporary directory {@link #perClass} made, deleted with the fixture. */
    private Path ownDirs;
    private Playwright playwright;
    private Browser browser;
    private ParleyNode server;
    private final List<ParleyNode> nodes = new ArrayList<>();
    private final List<AutoCloseable> scoped = new CopyOnWriteArrayList<>();
    /** Console errors and warnings and uncaught exceptions of every page this fixture opened. */
    final List<String> consoleProblems = new CopyOnWriteArrayList<>();

    private UiFixture(double waitMs) {
        this.waitMs = waitMs;
    }

    /**
     * A fixture for one test class, registered as a static {@code @RegisterExtension}: it starts
     * before the class's {@code @BeforeAll} methods, ends each test's scoped resources after it,
     * and closes after the class's {@code @AfterAll} methods.
     *
     * @param waitMs the ceiling for every Playwright assertion: live updates on a busy shared machine
     */
    static UiFixture perClass(double waitMs) {
        return new UiFixture(waitMs);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ownDirs = Files.createTempDirectory("parley-ui-" + context.getRequiredTestClass().getSimpleName() + "-");
        start(ownDirs);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        closeScoped();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /** Where the nodes' data directories are (and where a test may put files of its own). */
    Path dirs() {
        return dirs;
    }

    /**
     * A user's node in {@code dirs/name}, bootstrapping from this fixture's DHT server node (started
     * with the first user), so that users find each other by their IDs alone.
     */
    ParleyNode user(String name) throws Exception {
        return node(name, bootstrap());
    }

    /** The address of this fixture's DHT server node, starting it the first time. */
    List<Multiaddr> bootstrap() throws Exception {
        if (server == null) {
            server = node("server", List.of());
        }
        return List.of(server.dialableAddresses().getFirst());
    }

    /** Starts Playwright and Chromium; nodes are started on demand under {@code dirs}. */
    private void start(Path dirs) throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium; scripts/test does it)").isExecutable();
        this.dirs = dirs;
        Files.createDirectories(SCREENSHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM).setArgs(CHROMIUM_FLAGS).setHeadless(true));
        PlaywrightAssertions.setDefaultAssertionTimeout(waitMs);
    }

    /** A DHT-server node in {@code dirs/name}, listening on loopback; closed with the fixture. */
    ParleyNode node(String name, List<Multiaddr> bootstrap) throws Exception {
        ParleyNode node = ParleyNode.start(settings(name, bootstrap));
        nodes.add(node);
        return node;
    }

    /** Like {@link #node}, but closed by {@link #closeScoped()} at the end of the test. */
    ParleyNode scopedNode(String name, List<Multiaddr> bootstrap) throws Exception {
        ParleyNode node = ParleyNode.start(settings(name, bootstrap));
        scoped.add(node);
        return node;
    }

    /**
     * A second device of a user: a node in {@code dirs/name} started with {@code --link code} (it
     * links before it answers), closed by {@link #closeScoped()}.
     */
    ParleyNode scopedLinkedNode(String name, List<Multiaddr> bootstrap, String code) throws Exception {
        ParleyNode node = ParleyNode.start(settings(name, bootstrap), ParleyNode.defaultFeatures(Optional.of(code)),
                InstantSource.system());
        scoped.add(node);
        return node;
    }

    /**
     * A fresh node in {@code dirs/name} run as {@code parley} runs it, by a {@link NodeRunner} (so
     * its page can link it as a new device, which starts it again), closed by {@link #closeScoped()}.
     */
    NodeRunner scopedRunner(String name, List<Multiaddr> bootstrap) throws Exception {
        NodeRunner runner = NodeRunner.start(settings(name, bootstrap), Optional.empty(), InstantSource.system());
        scoped.add(runner);
        return runner;
    }

    /** Requests to {@code node}'s API with its token, beside any page (to set up what a test does not show); disposed after the test. */
    APIRequestContext api(ParleyNode node) {
        APIRequestContext api = playwright.request().newContext(new APIRequest.NewContextOptions()
                .setBaseURL(base(node))
                .setExtraHTTPHeaders(Map.of("Authorization", "Bearer " + node.apiEndpoint().token())));
        scoped.add(api::dispose);
        return api;
    }

    /** How long a contact request or its answer may take to cross the DHT and two nodes; only a ceiling. */
    static final long REQUEST_WAIT_SECONDS = 90;

    /** Gives {@code node}'s identity its display name. */
    void name(ParleyNode node, String name) {
        APIResponse answer = api(node).post("/api/identities/name", RequestOptions.create().setData(Map.of("name", name)));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    }

    /** {@code from} asks {@code to} (calling them {@code toName}), {@code to} accepts once the request has arrived. */
    void befriend(ParleyNode from, ParleyNode to, String toName) throws Exception {
        String fromId = from.userId().orElseThrow().text();
        String toId = to.userId().orElseThrow().text();
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        try (EventSubscription onTo = to.events().subscribe("test-request", event -> {
                if (event instanceof NodeEvent.ContactRequest request && request.contact().equals(fromId)) {
                    asked.countDown();
                }
            });
             EventSubscription onFrom = from.events().subscribe("test-answer", event -> {
                 if (event instanceof NodeEvent.ContactState state && state.contact().equals(toId)) {
                     answered.countDown();
                 }
             })) {
            APIResponse add = api(from).post("/api/contacts", RequestOptions.create()
                    .setData(Map.of("contact", toId, "name", toName)));
            assertThat(add.status()).as(add.text()).isEqualTo(200);
            assertThat(asked.await(REQUEST_WAIT_SECONDS, TimeUnit.SECONDS)).as("the request arrived").isTrue();
            APIResponse accept = api(to).post("/api/contacts/accept", RequestOptions.create()
                    .setData(Map.of("contact", fromId)));
            assertThat(accept.status()).as(accept.text()).isEqualTo(200);
            assertThat(answered.await(REQUEST_WAIT_SECONDS, TimeUnit.SECONDS)).as("the acceptance arrived").isTrue();
        }
    }

    /**
     * Presses Tab from where the focus is until {@code target} has it, at most {@code maxTabs}
     * times; whether it got there (the keyboard alone reaches it).
     */
    static boolean tabsTo(Page page, Locator target, int maxTabs) {
        for (int i = 0; i < maxTabs; i++) {
            page.keyboard().press("Tab");
            if ((Boolean) target.evaluate("el => el.getRootNode().activeElement === el")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a console problem is Chromium's own report of a connection the node refused or reset (a
     * fetch or the event socket while the node restarts: one in flight when the server stops is
     * reset, one after it is refused), which a page cannot silence.
     */
    static boolean isRefusedConnection(String problem) {
        return problem.contains("net::ERR_CONNECTION_REFUSED") || problem.contains("net::ERR_CONNECTION_RESET")
                || problem.matches("(?s).*WebSocket connection to 'ws://127\\.0\\.0\\.1:\\d+/api/events' failed.*");
    }

    /** Whether {@code page} scrolls sideways (its content is wider than its viewport). */
    /**
     * Records every value the Files screen's download progress bar shows, from the moment it is
     * evaluated, into {@code window.progressSeen}. The bar is inside the files view's shadow root,
     * and the view may not be on the page yet (a download started from a chat opens the screen), so
     * it is looked for every 5 ms rather than observed.
     */
    static final String RECORD_PROGRESS = """
            () => {
              window.progressSeen = [];
              setInterval(() => {
                const view = document.querySelector('parley-app')?.shadowRoot
                    ?.querySelector('parley-files-view')?.shadowRoot;
                view?.querySelectorAll('li.download progress').forEach(bar => {
                  const value = Number(bar.getAttribute('value'));
                  const seen = window.progressSeen;
                  if (seen.length === 0 || seen[seen.length - 1] !== value) seen.push(value);
                });
              }, 5);
            }""";

    /** The values {@link #RECORD_PROGRESS} saw, in order. */
    static List<Long> progressSeen(Page page) {
        @SuppressWarnings("unchecked")
        List<Number> seen = (List<Number>) page.evaluate("window.progressSeen");
        return seen.stream().map(Number::longValue).toList();
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static boolean scrollsSideways(Page page) {
        return (Boolean) page.evaluate("document.documentElement.scrollWidth > window.innerWidth");
    }

    private NodeSettings settings(String name, List<Multiaddr> bootstrap) {
        return new NodeSettings(new DataDir(dirs.resolve(name)), List.of(LOOPBACK_RANDOM_PORT), bootstrap, 0,
                ModePolicy.SERVER);
    }

    /** Closes {@code resource} with the test's other scoped resources. */
    void closeAfterTest(AutoCloseable resource) {
        scoped.add(resource);
    }

    /** A fresh browser context (its own cookies: one user) {@code width} by {@code height}, closed after the test. */
    BrowserContext context(int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)
                .setIsMobile(width < PHONE_BELOW));
        scoped.add(context::close);
        return context;
    }

    BrowserContext desktop() {
        return context(DESKTOP_WIDTH, DESKTOP_HEIGHT);
    }

    BrowserContext phone() {
        return context(PHONE_WIDTH, PHONE_HEIGHT);
    }

    /** A blank page in {@code context} whose console problems are collected. */
    Page page(BrowserContext context) {
        Page page = context.newPage();
        page.onConsoleMessage(message -> {
            if (message.type().equals("error") || message.type().equals("warning")) {
                consoleProblems.add(message.type() + ": " + message.text());
            }
        });
        page.onPageError(error -> consoleProblems.add("page error: " + error));
        return page;
    }

    /** {@code node}'s page on {@code screen} (the fragment survives the token URL's redirect), in a new context. */
    Page open(ParleyNode node, int width, int height, String screen) {
        Page page = page(context(width, height));
        page.navigate(node.apiEndpoint().webUri() + "#/" + screen);
        return page;
    }

    /** {@code http://127.0.0.1:port} of {@code node}'s API, for requests a test makes beside the page. */
    static String base(ParleyNode node) {
        return "http://127.0.0.1:" + node.apiEndpoint().port();
    }

    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    static LocatorAssertions expect(Locator locator) {
        return PlaywrightAssertions.assertThat(locator);
    }

    /** Ends what the current test opened: its contexts and scoped nodes, newest first; forgets console problems. */
    void closeScoped() throws Exception {
        for (AutoCloseable resource : scoped.reversed()) {
            resource.close();
        }
        scoped.clear();
        consoleProblems.clear();
    }

    @Override
    public void close() throws Exception {
        try {
            closeScoped();
        } finally {
            if (browser != null) {
                browser.close();
            }
            if (playwright != null) {
                playwright.close();
            }
            for (ParleyNode node : nodes.reversed()) {
                node.close();
            }
            nodes.clear();
            if (ownDirs != null) {
                deleteTree(ownDirs);
            }
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
