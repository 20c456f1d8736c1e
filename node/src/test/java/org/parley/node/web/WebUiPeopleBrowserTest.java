package org.parley.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.node.web.UiFixture.expect;
import static org.parley.node.web.UiFixture.screenshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.node.NodeRunner;
import org.parley.node.ParleyNode;
import org.parley.node.devices.LinkThisStatus;
import org.parley.node.ParleyVersion;

/**
 * Two people in Debian's Chromium, one browser context each, on two whole nodes over loopback
 * (with a third node as the DHT server both bootstrap from, so Alice finds Bob by his ID alone):
 * both choose their names, Alice adds Bob by his user ID with an intro, Bob sees the request
 * appear without a reload and accepts it, Alice sees him become a contact, both see the same safety
 * number and Bob marks it verified, and they chat both ways
 * with every message, unread count and delivery state arriving live; unread counts survive a
 * reload (the node keeps them); markup in a message stays text, and older messages load a page at
 * a time when the conversation is scrolled to the top. Then the journey's last step: Alice links a
 * second device from her Devices screen (code, QR code, countdown): a fresh node's own page takes
 * the code, the node restarts as her second device, and that page reconnects and shows the past
 * conversation with Bob. Screenshots at
 * desktop and phone width go to {@code target/screenshots/}.
 */
@Tag("ui")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiPeopleBrowserTest {

    /** A request crossing the DHT and two nodes on a busy shared machine: generous, and only a ceiling. */
    private static final double WAIT_MS = 60_000;
    /** The page size of chats-view.js: a conversation opens on this many of its latest messages. */
    private static final int PAGE_SIZE = 50;
    /** More than one page, so that scrolling up has something to load. */
    private static final int OLDER_MESSAGES = 60;
    /** The journey's step 4: the file Alice shares and sends in the chat. */
    private static final int OFFERED_BYTES = 20 * 1024 * 1024;
    /**
     * Bob's download limit (bytes a second) while the file comes: on loopback 20 MiB would land
     * before his Files screen has drawn its first bar, and the journey is to see the bar move. A
     * user's own setting (the Files screen's "Download speed"), lifted again afterwards.
     */
    private static final long JOURNEY_DOWNLOAD_RATE = 8L * 1024 * 1024;
    private static final String HOSTILE_MESSAGE = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";

    @RegisterExtension
    static final UiFixture ui = UiFixture.perClass(WAIT_MS);

    private final ObjectMapper json = new ObjectMapper();
    private ParleyNode alice;
    private ParleyNode bob;
    private List<String> consoleProblems;

    @BeforeAll
    void startNodes() throws Exception {
        consoleProblems = ui.consoleProblems;
        alice = ui.user("alice");
        bob = ui.user("bob");
    }

    @Test
    void aliceAddsBobByIdBobAcceptsAndTheyChatLive() throws Exception {
        Page alicePage = open(alice, 1280, 800, "you");
        Page bobPage = open(bob, 390, 844, "you");
        onboard(alicePage, "Alice");
        onboard(bobPage, "Bob");
        String bobId = bobPage.locator("#user-id").textContent();
        assertThat(bobId).isEqualTo(bob.userId().orElseThrow().text());

        bobPage.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Contacts")).click();
        expect(bobPage.getByText("No one is waiting for an answer.")).isVisible();
        alicePage.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Contacts")).click();

        // An empty reference is the user's mistake: the page says what to paste.
        Locator send = alicePage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send contact request"));
        send.click();
        expect(alicePage.locator("#add-problem")).containsText("Paste their user ID");

        alicePage.getByLabel("Their user ID, invite link or QR code text").fill(bobId);
        alicePage.getByLabel("What you call them (optional; else the name they chose)").fill("Bob");
        alicePage.getByLabel("A few words so they know who you are (optional)").fill("hi, it is <b>Alice</b>");
        send.click();
        expect(alicePage.locator("#add-notice")).containsText("Request sent");
        Locator waiting = alicePage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Waiting for them"));
        expect(waiting).containsText(bobId);
        screenshot(alicePage, "contacts-request-sent-desktop");

        // Bob's open page shows the request without a reload; the intro's markup is text.
        Locator incoming = bobPage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Requests to you"));
        expect(incoming).containsText("hi, it is <b>Alice</b>");
        expect(incoming).containsText("Alice");
        screenshot(bobPage, "contacts-request-in-phone");
        bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Accept Alice")).click();
        expect(bobPage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Contacts"))).containsText("Alice");
        expect(bobPage.getByText("No one is waiting for an answer.")).isVisible();

        // Alice's page moves Bob from waiting to contacts when his acceptance arrives.
        Locator aliceContacts = alicePage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Contacts"));
        expect(aliceContacts).containsText(bobId);
        expect(aliceContacts).containsText("Contact");
        expect(alicePage.getByText("No request of yours is waiting.")).isVisible();
        screenshot(alicePage, "contacts-accepted-desktop");
        screenshot(bobPage, "contacts-accepted-phone");

        // The contact page: both see the same safety number with its QR code; Bob marks Alice verified.
        alicePage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Safety number of Bob")).click();
        bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Safety number of Alice")).click();
        Locator aliceDigits = alicePage.locator("#safety-digits");
        Locator bobDigits = bobPage.locator("#safety-digits");
        expect(aliceDigits).hasText(java.util.regex.Pattern.compile("^(\\d{5} ){11}\\d{5}$"));
        expect(bobDigits).hasText(aliceDigits.textContent());
        Locator qr = bobPage.getByRole(AriaRole.IMG, new Page.GetByRoleOptions().setName("QR code of the safety number with Alice"));
        expect(qr).isVisible();
        assertThat(qr.evaluate("img => img.complete && img.naturalWidth > 0")).isEqualTo(true);
        bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mark verified")).click();
        expect(bobPage.locator("#verified-note")).hasText("Verified.");
        expect(bobPage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Contacts")))
                .containsText("safety number verified");
        // The app version Alice's device announced, as the node reports it.
        expect(bobPage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Contacts")).locator(".version"))
                .hasText("Their app: " + ParleyVersion.agentVersion());
        screenshot(bobPage, "contact-safety-number-phone");
        screenshot(alicePage, "contact-safety-number-desktop");

        // Chats: Bob waits on the list; Alice opens Bob's conversation and sends with Enter.
        bobPage.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Chats")).click();
        alicePage.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Chats")).click();
        // Exact: until the chat list replaces the contacts page, "Safety number of Bob", "Rename
        // Bob" and the rest would match a name that is only part of theirs.
        alicePage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Bob").setExact(true)).click();
        Locator aliceCompose = alicePage.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
        expect(aliceCompose).isFocused();
        aliceCompose.fill("hello Bob");
        aliceCompose.press("Enter");
        expect(aliceCompose).hasValue("");
        Locator aliceLog = alicePage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Messages"));
        expect(aliceLog).containsText("hello Bob");

        // Bob's list shows the unread count and the last message without a reload.
        Locator aliceEntry = bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Alice, 1 unread"));
        expect(aliceEntry).containsText("hello Bob");
        screenshot(bobPage, "chats-unread-phone");
        // The count is the node's: a reload shows it again.
        bobPage.reload();
        aliceEntry = bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Alice, 1 unread"));
        expect(aliceEntry).containsText("hello Bob");
        aliceEntry.click();
        Locator bobLog = bobPage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Messages"));
        expect(bobLog).containsText("hello Bob");

        // Alice sees her message delivered and read, live.
        expect(aliceLog.locator("li.outgoing .meta")).hasText("Read");

        // Bob answers on two lines: Shift+Enter is a new line, Enter sends.
        Locator bobCompose = bobPage.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
        bobCompose.click();
        bobCompose.pressSequentially("first line");
        bobCompose.press("Shift+Enter");
        bobCompose.pressSequentially("second line");
        expect(bobCompose).hasValue("first line\nsecond line");
        bobCompose.press("Enter");
        expect(aliceLog.locator("li.incoming")).hasText("first line\nsecond line");

        // Markup in a message is text on the other side.
        aliceCompose.fill(HOSTILE_MESSAGE);
        aliceCompose.press("Enter");
        expect(bobLog.locator("li.incoming").last()).hasText(HOSTILE_MESSAGE);
        assertThat(bobPage.evaluate("window.pwned === undefined")).isEqualTo(true);
        assertThat(bobLog.locator("img, script").count()).isZero();
        // Shown in Bob's open conversation, so marked read by his page, and Alice sees it live.
        expect(aliceLog.locator("li.outgoing").last().locator(".meta")).hasText("Read");
        bobPage.reload();
        expect(bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Alice").setExact(true)))
                .isVisible();
        screenshot(alicePage, "chat-conversation-desktop");
        screenshot(bobPage, "chat-conversation-phone");

        // Older history loads on scroll: with more messages than one page, the conversation opens
        // on the latest page and scrolling to the top brings the rest.
        String base = "http://127.0.0.1:" + alice.apiEndpoint().port();
        for (int i = 0; i < OLDER_MESSAGES; i++) {
            assertThat(alicePage.context().request().post(base + "/api/messages", RequestOptions.create()
                    .setData(Map.of("contact", bobId, "text", "older " + i))).status()).isEqualTo(200);
        }
        int total = OLDER_MESSAGES + 3;
        alicePage.reload();
        alicePage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Bob").setExact(true)).click();
        Locator shown = aliceLog.locator("li");
        expect(shown).hasCount(PAGE_SIZE);
        expect(shown.last()).hasText(java.util.regex.Pattern.compile("^older " + (OLDER_MESSAGES - 1)));
        aliceLog.evaluate("log => { log.scrollTop = 0; }");
        expect(shown).hasCount(total);
        expect(shown.first()).hasText(java.util.regex.Pattern.compile("^hello Bob"));

        // The paging cursor is checked: a malformed or unknown message id is a message, not a page.
        APIResponse malformed = alicePage.context().request().post(base + "/api/messages/history",
                RequestOptions.create().setData(Map.of("contact", bobId, "before", "nonsense")));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.text()).contains("'before' must be a message id of 32 hex digits");
        APIResponse unknown = alicePage.context().request().post(base + "/api/messages/read",
                RequestOptions.create().setData(Map.of("contact", bobId, "upTo", "00".repeat(16))));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text()).contains("no message " + "00".repeat(16));

        // The journey's step 4, a file sent in the chat: Alice shares 20 MiB and sends its link to
        // Bob; his conversation offers it with a Download button, which starts the download on his
        // Files screen, where the progress bar moves to full; the file he saves has the same sha256.
        // Alice's older messages wait for Bob unread: his list counts them.
        bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Alice, " + OLDER_MESSAGES + " unread"))
                .click();
        byte[] content = new byte[OFFERED_BYTES];
        new java.util.Random(4).nextBytes(content);
        alicePage.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Files")).click();
        alicePage.getByLabel("Choose a file to share").setInputFiles(new com.microsoft.playwright.options.FilePayload(
                "notes.bin", "application/octet-stream", content));
        expect(alicePage.locator("li.transfer.share")).hasAttribute("data-state", "seeding");
        alicePage.getByLabel("Contact to send notes.bin to").selectOption(new com.microsoft.playwright.options.SelectOption()
                .setLabel("Bob"));
        alicePage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send notes.bin to the contact")).click();
        expect(alicePage.locator("#files-notice")).hasText("Sent the link of notes.bin to Bob.");
        screenshot(alicePage, "files-sent-to-contact-desktop");
        Locator offer = bobLog.locator("li.incoming").last();
        expect(offer).containsText("magnet:?xt=urn:parley:");
        screenshot(bobPage, "chat-file-offer-phone");
        setDownloadRate(bobPage, bob, JOURNEY_DOWNLOAD_RATE);
        bobPage.evaluate(UiFixture.RECORD_PROGRESS);
        offer.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Download this file")).click();
        bobPage.waitForURL(java.util.regex.Pattern.compile("#/files$"));
        Locator download = bobPage.locator("li.transfer.download");
        expect(download).hasAttribute("data-state", "done");
        expect(download.locator("progress")).hasAttribute("value", Integer.toString(OFFERED_BYTES));
        List<Long> seen = UiFixture.progressSeen(bobPage);
        assertThat(seen).as("the bar's values, in order").hasSizeGreaterThan(1);
        assertThat(seen.getFirst()).as("it started short of full").isLessThan(OFFERED_BYTES);
        assertThat(seen.getLast()).isEqualTo(OFFERED_BYTES);
        setDownloadRate(bobPage, bob, 0);
        com.microsoft.playwright.Download saved = bobPage.waitForDownload(() -> download.getByRole(AriaRole.LINK,
                new Locator.GetByRoleOptions().setName("Show file notes.bin")).click());
        try (java.io.InputStream in = saved.createReadStream()) {
            assertThat(UiFixture.sha256(in.readAllBytes())).isEqualTo(UiFixture.sha256(content));
        }

        // Alice links a second device: her Devices screen shows the code with its QR code and a
        // countdown; a new node started with that code becomes her second device, her open page
        // lists it, and the new device's own page (its own browser context and token) shows the
        // past conversation with Bob, which history sync brought.
        alicePage.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Devices")).click();
        Locator devices = alicePage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Your devices"));
        expect(devices.locator("li")).hasCount(1);
        alicePage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Link a device")).click();
        Locator code = alicePage.locator("#link-code");
        expect(code).hasText(java.util.regex.Pattern.compile("^parley-link:"));
        Locator codeQr = alicePage.getByRole(AriaRole.IMG, new Page.GetByRoleOptions().setName("QR code of the link code"));
        expect(codeQr).isVisible();
        alicePage.waitForCondition(() -> (Boolean) codeQr.evaluate("img => img.complete && img.naturalWidth > 0"));
        Locator countdown = alicePage.getByRole(AriaRole.TIMER);
        expect(countdown).hasText(java.util.regex.Pattern.compile("^Expires in (10:00|9:[0-5]\\d)$"));
        String shownFirst = countdown.textContent();
        expect(countdown).not().hasText(shownFirst);
        screenshot(alicePage, "journey-link-code-desktop");

        // The laptop is a fresh node; its own page (its own browser context) takes the code: the node
        // restarts as Alice's new device, and the page reconnects by itself and opens Chats.
        NodeRunner laptopRunner = ui.scopedRunner("alice-laptop", ui.bootstrap());
        Page linkPage = ui.open(laptopRunner.node(), UiFixture.DESKTOP_WIDTH, UiFixture.DESKTOP_HEIGHT, "you");
        linkPage.getByLabel("Link code from your other device").fill(code.textContent());
        linkPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Link this device")).click();
        expect(linkPage.locator("#link-this-status")).containsText("Linking");
        screenshot(linkPage, "journey-link-this-device-desktop");
        linkPage.waitForURL(java.util.regex.Pattern.compile("#/chats$"),
                new Page.WaitForURLOptions().setTimeout(WAIT_MS));
        ParleyNode laptop = laptopRunner.node();
        assertThat(laptop.userId()).isEqualTo(alice.userId());
        assertThat(laptopRunner.status().state()).isEqualTo(LinkThisStatus.State.LINKED);
        expect(devices.locator("li")).hasCount(2);
        expect(devices.locator("li[data-peer-id='" + laptop.host().peerId().toBase58() + "']")).containsText("Device 2");
        // Every message of the conversation (the older ones, the three before them, the file link) syncs over.
        int conversation = total + 1;
        alicePage.waitForCondition(() -> historySize(laptop, bobId) == conversation,
                new Page.WaitForConditionOptions().setTimeout(WAIT_MS));

        for (int[] size : new int[][] {{UiFixture.DESKTOP_WIDTH, UiFixture.DESKTOP_HEIGHT},
                {UiFixture.PHONE_WIDTH, UiFixture.PHONE_HEIGHT}}) {
            // At desktop width the page that linked, at phone width a new one.
            Page laptopPage = size[0] == UiFixture.DESKTOP_WIDTH ? linkPage : ui.open(laptop, size[0], size[1], "chats");
            laptopPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(
                    java.util.regex.Pattern.compile("^Bob(, \\d+ unread)?$"))).click();
            Locator laptopLog = laptopPage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Messages"));
            Locator past = laptopLog.locator("li");
            expect(past).hasCount(PAGE_SIZE);
            expect(past.last()).containsText("magnet:?xt=urn:parley:");
            laptopLog.evaluate("log => { log.scrollTop = 0; }");
            expect(past).hasCount(conversation);
            expect(past.first()).hasText(java.util.regex.Pattern.compile("^hello Bob"));
            expect(laptopLog.locator("li.incoming").first()).hasText("first line\nsecond line");
            // Loading keeps the reader's place; back to the top, where the conversation began.
            laptopLog.evaluate("log => { log.scrollTop = 0; }");
            boolean phone = size[0] < UiFixture.DESKTOP_WIDTH;
            screenshot(laptopPage, "journey-second-device-chat-" + (phone ? "phone" : "desktop"));
            if (phone) {
                assertThat(UiFixture.scrollsSideways(laptopPage)).as("the second device's phone page scrolls sideways")
                        .isFalse();
            }
        }
        // While the laptop's node restarted, the browser itself reported the refused connections of the
        // page's reconnects; nothing else may appear.
        assertThat(consoleProblems.stream().filter(p -> !UiFixture.isRefusedConnection(p)).toList()).isEmpty();
    }

    /** How many messages with {@code contact} {@code node} keeps, as its API answers. */
    private int historySize(ParleyNode node, String contact) {
        APIResponse history = ui.api(node).post("/api/messages/history", RequestOptions.create()
                .setData(Map.of("contact", contact, "limit", 100)));
        if (history.status() != 200) {
            return -1;
        }
        try {
            return json.readTree(history.text()).get("messages").size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMistypedIdOrABadLinkIsAMessageInThePageAndTheInputStays() {
        Page page = open(alice, 390, 844, "contacts");
        Locator reference = page.getByLabel("Their user ID, invite link or QR code text");
        Locator send = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send contact request"));
        String mistyped = bob.userId().orElseThrow().text().replaceFirst(".$", "x");
        if (mistyped.equals(bob.userId().orElseThrow().text())) {
            mistyped = mistyped.replaceFirst(".$", "y");
        }
        reference.fill(mistyped);
        send.click();
        Locator problem = page.locator("#add-problem");
        expect(problem).containsText("Could not add them:");
        expect(reference).hasValue(mistyped);
        screenshot(page, "contacts-bad-id-phone");
        String mistypedMessage = problem.textContent();

        reference.fill("parley:invite?name=nobody");
        send.click();
        expect(problem).not().hasText(mistypedMessage);
        expect(problem).containsText("Could not add them:");
        for (String text : List.of(mistypedMessage, problem.textContent())) {
            assertThat(text).doesNotContain("Exception", "org.parley", "java.");
        }
        // Each refusal is logged by Chromium as a failed fetch; nothing else went wrong.
        assertThat(consoleProblems).allMatch(problemText -> problemText.contains("status of 400"));
        consoleProblems.clear();
    }

    private void onboard(Page page, String name) {
        Locator input = page.getByLabel("Your display name");
        input.fill(name);
        input.press("Enter");
        expect(page.locator("#display-name")).hasText(name);
    }

    private Page open(ParleyNode node, int width, int height, String screen) {
        return ui.open(node, width, height, screen);
    }

    /** Sets the node's download limit through the page's own API session, as the Files screen does. */
    private static void setDownloadRate(Page page, ParleyNode node, long bytesPerSecond) {
        APIResponse set = page.context().request().post(UiFixture.base(node) + "/api/settings/download-rate", RequestOptions.create().setData(Map.of("maxDownloadRate", bytesPerSecond)));
        assertThat(set.status()).as(set.text()).isEqualTo(200);
    }
}
