package org.parley.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.node.web.UiFixture.expect;
import static org.parley.node.web.UiFixture.screenshot;
import static org.parley.node.web.UiFixture.scrollsSideways;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.ParleyNode;
import org.parley.node.events.NodeEvent;

/**
 * The Devices and Network screens in Debian's Chromium on whole nodes over loopback: "Link a
 * device" shows a code with its QR code, a countdown that moves and the command for the new
 * device; a real second node started with {@code --link} and that code joins, and the open page
 * lists two devices (this one marked) without a reload, with the second one's sync state as each
 * {@code sync.state} event arrives; revoking it asks first and then leaves one. The Network screen says whether WebRTC is
 * available and, if not, why, as the node reports it. Screenshots at desktop and phone width go to
 * {@code target/screenshots/}; the phone page does not scroll sideways.
 */
@Tag("ui")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiDevicesBrowserTest {

    /** Linking and syncing two nodes on a busy shared machine: generous, and only a ceiling. */
    private static final double WAIT_MS = 90_000;
    /** A fresh code lives 10 minutes; the page shows minutes and seconds left. */
    /** The most Tab presses from the top of the page to "Link a device": the skip link and the navigation come first. */
    private static final int MAX_TABS = 20;
    private static final Pattern FRESH_EXPIRY = Pattern.compile("^Expires in (10:00|9:[0-5]\\d)$");

    @RegisterExtension
    static final UiFixture ui = UiFixture.perClass(WAIT_MS);

    private final ObjectMapper json = new ObjectMapper();
    private ParleyNode alice;
    private List<Multiaddr> bootstrap;

    @BeforeAll
    void startNodes() throws Exception {
        alice = ui.user("alice");
        bootstrap = ui.bootstrap();
    }

    @Test
    void aLinkCodeWithQrAndCountdownLinksARealSecondDeviceWhichTheListShowsAndRevokes() throws Exception {
        Page page = ui.open(alice, UiFixture.DESKTOP_WIDTH, UiFixture.DESKTOP_HEIGHT, "devices");
        Locator list = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Your devices"));
        expect(list.locator("li")).hasCount(1);
        expect(list.locator("li").first()).containsText("this device");

        // The keyboard alone reaches "Link a device" from the top of the page, and Enter presses it.
        Locator link = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Link a device"));
        assertThat(UiFixture.tabsTo(page, link, MAX_TABS)).as("Tab reaches Link a device").isTrue();
        page.keyboard().press("Enter");
        Locator code = page.locator("#link-code");
        expect(code).hasText(Pattern.compile("^parley-link:"));
        String text = code.textContent();
        expect(page.locator("#link-command")).hasText("scripts/run --link " + text);
        Locator qr = page.getByRole(AriaRole.IMG, new Page.GetByRoleOptions().setName("QR code of the link code"));
        expect(qr).isVisible();
        page.waitForCondition(() -> (Boolean) qr.evaluate("img => img.complete && img.naturalWidth > 0"));
        Locator expiry = page.getByRole(AriaRole.TIMER);
        expect(expiry).hasText(FRESH_EXPIRY);
        String first = expiry.textContent();
        // The countdown moves by the page's own clock.
        expect(expiry).not().hasText(first);
        expect(expiry).hasText(FRESH_EXPIRY);
        expect(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copy link code"))).isVisible();
        screenshot(page, "devices-link-code-desktop");

        // A real second device links with the code; the open page shows it without a reload.
        ParleyNode laptop = ui.scopedLinkedNode("alice-laptop", bootstrap, text);
        assertThat(laptop.userId()).isEqualTo(alice.userId());
        expect(list.locator("li")).hasCount(2);
        Locator second = list.locator("li[data-peer-id='" + laptop.host().peerId().toBase58() + "']");
        expect(second).containsText("Device 2");
        expect(second).not().containsText("this device");

        // The two devices sync their journals at once, and the page shows it live; then each state
        // the sync journal can publish (here published on the node's event bus) shows as it comes.
        expect(second.locator(".sync")).hasText(Pattern.compile("^In sync; last sync "));
        PeerId laptopId = laptop.host().peerId();
        long lastSync = System.currentTimeMillis();
        alice.events().publish(new NodeEvent.SyncState(laptopId, "behind", 3, lastSync, null));
        expect(second.locator(".sync")).hasText(Pattern.compile("^Behind by 3; last sync "));
        alice.events().publish(new NodeEvent.SyncState(laptopId, "syncing", 3, lastSync, null));
        expect(second.locator(".sync")).hasText(Pattern.compile("^Syncing; last sync "));
        alice.events().publish(new NodeEvent.SyncState(laptopId, "in-sync", 0, lastSync, null));
        expect(second.locator(".sync")).hasText(Pattern.compile("^In sync; last sync "));
        screenshot(page, "devices-two-desktop");

        Page phone = ui.open(alice, UiFixture.PHONE_WIDTH, UiFixture.PHONE_HEIGHT, "devices");
        expect(phone.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Your devices")).locator("li"))
                .hasCount(2);
        phone.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Link a device")).click();
        expect(phone.locator("#link-code")).hasText(Pattern.compile("^parley-link:"));
        screenshot(phone, "devices-phone");
        assertThat(scrollsSideways(phone)).as("the phone-width Devices screen scrolls sideways").isFalse();

        // Revoke asks first; keeping it changes nothing, confirming leaves one device.
        Locator revoke = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke device 2"));
        revoke.click();
        expect(second).containsText("It will no longer get your messages or history.");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Keep it")).click();
        expect(list.locator("li")).hasCount(2);
        revoke.focus();
        page.keyboard().press("Enter");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Yes, revoke device 2")).click();
        expect(list.locator("li")).hasCount(1);
        expect(list).containsText("this device");
        assertThat(ui.consoleProblems).isEmpty();
    }

    @Test
    void theQrRouteDrawsOnlyALinkCode() throws Exception {
        APIResponse wrong = ui.api(alice).get("/api/devices/link/qr?code=hello");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.text()).contains("Give a link code").doesNotContain("Exception");
        String code = json.readTree(ui.api(alice).post("/api/devices/link", RequestOptions.create().setData(Map.of()))
                .text()).get("code").asText();
        APIResponse qr = ui.api(alice).get("/api/devices/link/qr?code=" + java.net.URLEncoder.encode(code,
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(qr.status()).isEqualTo(200);
        assertThat(qr.headers().get("content-type")).startsWith("image/svg+xml");
        assertThat(qr.text()).startsWith("<svg").contains("<path");
    }

    @Test
    void theNetworkScreenSaysWhetherWebRtcIsAvailableAndWhyNot() throws Exception {
        JsonNode webrtc = json.readTree(ui.api(alice).get("/api/peers").text()).get("webrtc");
        Page page = ui.open(alice, UiFixture.PHONE_WIDTH, UiFixture.PHONE_HEIGHT, "network");
        Locator shown = page.locator("#webrtc");
        if (webrtc.get("available").asBoolean()) {
            expect(shown).hasText("available");
        } else {
            expect(shown).hasText("not available: " + webrtc.get("reason").asText());
        }
        screenshot(page, "network-webrtc-phone");
        assertThat(scrollsSideways(page)).as("the phone-width Network screen scrolls sideways").isFalse();
        Page desktop = ui.open(alice, UiFixture.DESKTOP_WIDTH, UiFixture.DESKTOP_HEIGHT, "network");
        expect(desktop.locator("#webrtc")).containsText("available");
        screenshot(desktop, "network-webrtc-desktop");
    }
}
