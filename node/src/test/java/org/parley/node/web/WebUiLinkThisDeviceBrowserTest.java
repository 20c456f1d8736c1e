package org.parley.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.node.web.UiFixture.expect;
import static org.parley.node.web.UiFixture.screenshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIRequestContext;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.chat.identity.UserId;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.NodeRunner;
import org.parley.node.ParleyNode;
import org.parley.node.devices.LinkCode;
import org.parley.node.devices.LinkThisStatus;

/**
 * "Link this device to one you already use" on a fresh node's first run, where linking fails: a
 * text that is no link code is refused at once (the node does not restart); a well-formed code the
 * other device never made restarts the node, which comes back as the same fresh node (same
 * identity, database put back) with the other device's refusal shown in the page, and the page
 * goes on working. A node that holds anything of a user's refuses to link with 409 (API level).
 * The successful link is the journey's step 5 in {@link WebUiPeopleBrowserTest}.
 */
@Tag("ui")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiLinkThisDeviceBrowserTest {

    /** A restart and a refused link exchange on a busy shared machine: generous, and only a ceiling. */
    private static final double WAIT_MS = 60_000;

    @RegisterExtension
    static final UiFixture ui = UiFixture.perClass(WAIT_MS);

    private final ObjectMapper json = new ObjectMapper();
    private ParleyNode alice;

    @BeforeAll
    void startOtherDevice() throws Exception {
        alice = ui.user("alice");
    }

    @Test
    void aWrongCodeIsAMessageInThePageAndTheNodeComesBackFreshAndWorking() throws Exception {
        NodeRunner runner = ui.scopedRunner("fresh", ui.bootstrap());
        ParleyNode before = runner.node();
        UserId freshUser = before.userId().orElseThrow();
        Page page = ui.open(before, UiFixture.DESKTOP_WIDTH, UiFixture.DESKTOP_HEIGHT, "you");
        Locator input = page.getByLabel("Link code from your other device");
        Locator link = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Link this device"));
        Locator problem = page.locator("#link-this-problem");

        // Empty: the page says what to do and sends nothing.
        link.click();
        expect(problem).hasText("Paste the link code from your other device first.");
        expect(input).isFocused();

        // Not a link code: the node refuses it at once with --link's message, and keeps running as it was.
        input.fill("parley-link:notacode");
        link.click();
        expect(problem).containsText("This device was not linked: this is not a link code");
        assertThat(runner.node()).isSameAs(before);
        assertThat(runner.status()).isEqualTo(LinkThisStatus.NONE);

        // Well formed, but a secret Alice's device never handed out: the node restarts to link, her
        // device refuses, and the node comes back fresh with the refusal in the page.
        byte[] secret = new byte[LinkCode.SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        List<Multiaddr> addresses = alice.dialableAddresses().stream().map(Multiaddr::withoutPeerId).toList();
        String wrong = new LinkCode(alice.host().peerId(), LinkCode.fitting(addresses), secret).format();
        input.fill(wrong);
        link.click();
        expect(problem).containsText("This device was not linked: The other device does not accept this link code");
        screenshot(page, "you-link-this-wrong-code-desktop");
        ParleyNode after = runner.node();
        assertThat(after).isNotSameAs(before);
        assertThat(runner.status().state()).isEqualTo(LinkThisStatus.State.FAILED);
        assertThat(after.userId()).contains(freshUser);
        assertThat(after.apiEndpoint().port()).isEqualTo(before.apiEndpoint().port());
        assertThat(after.apiEndpoint().token()).isEqualTo(before.apiEndpoint().token());
        assertThat(Files.list(after.settings().dataDir().databaseFile().getParent())
                .filter(p -> p.getFileName().toString().contains(".before-link")).toList())
                .as("the database moved aside for the link is back in place").isEmpty();
        // The code stays in the field to correct, and the same page goes on with the first run.
        expect(input).hasValue(wrong);
        page.getByLabel("Your display name").fill("Fresh");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();
        expect(page.locator("#user-id")).hasText(freshUser.text());
        // The one 400 is the refused non-code, which Chromium reports itself; besides it, at most the
        // connections the restarting node refused.
        assertThat(ui.consoleProblems.stream().filter(p -> p.contains("status of 400")).count()).isEqualTo(1);
        assertThat(ui.consoleProblems.stream()
                .filter(p -> !p.contains("status of 400") && !UiFixture.isRefusedConnection(p)).toList()).isEmpty();
    }

    @Test
    void aNodeHoldingAUsersDataRefusesToLinkWith409AndKeepsIt() throws Exception {
        NodeRunner runner = ui.scopedRunner("busy", ui.bootstrap());
        ParleyNode node = runner.node();
        APIRequestContext api = ui.api(node);
        String code = codeOf(alice);

        // A second identity made by the user: linking would drop it.
        APIResponse created = api.post("/api/identities", RequestOptions.create().setData(Map.of("name", "Work")));
        assertThat(created.status()).isEqualTo(200);
        APIResponse refused = api.post("/api/devices/link-this", RequestOptions.create().setData(Map.of("code", code)));
        assertThat(refused.status()).isEqualTo(409);
        JsonNode body = json.readTree(refused.text());
        assertThat(body.get("error").asText()).isEqualTo("conflict");
        assertThat(body.get("message").asText()).startsWith("This node already has an identity you created or linked")
                .contains("--data-dir DIR");
        assertThat(runner.node()).isSameAs(node);
        assertThat(runner.status()).isEqualTo(LinkThisStatus.NONE);
        APIResponse identities = api.get("/api/identities");
        assertThat(json.readTree(identities.text()).get("identities")).hasSize(2);

        // A fresh node's only identity with a contact request out: refused too, naming the contacts.
        NodeRunner other = ui.scopedRunner("requester", ui.bootstrap());
        APIRequestContext otherApi = ui.api(other.node());
        otherApi.post("/api/identities/name", RequestOptions.create().setData(Map.of("name", "Req")));
        APIResponse request = otherApi.post("/api/contacts", RequestOptions.create()
                .setData(Map.of("contact", alice.userId().orElseThrow().text())));
        assertThat(request.status()).as(request.text()).isLessThan(300);
        APIResponse alsoRefused = otherApi.post("/api/devices/link-this",
                RequestOptions.create().setData(Map.of("code", code)));
        assertThat(alsoRefused.status()).isEqualTo(409);
        assertThat(json.readTree(alsoRefused.text()).get("message").asText()).contains("contacts");
        assertThat(other.status()).isEqualTo(LinkThisStatus.NONE);

        // The status route of a node nobody asked to link.
        APIResponse status = api.get("/api/devices/link-this");
        assertThat(json.readTree(status.text()).get("state").asText()).isEqualTo("none");
    }

    /** A real link code of {@code device}'s, made through its API. */
    private String codeOf(ParleyNode device) throws Exception {
        APIResponse made = ui.api(device).post("/api/devices/link", RequestOptions.create().setData(Map.of()));
        assertThat(made.status()).isEqualTo(200);
        return json.readTree(made.text()).get("code").asText();
    }
}
