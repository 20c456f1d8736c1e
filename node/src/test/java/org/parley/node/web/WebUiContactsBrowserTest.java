package org.parley.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.node.web.UiFixture.expect;
import static org.parley.node.web.UiFixture.screenshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.node.ParleyNode;

/**
 * A contact's own actions on the Contacts screen, in Debian's Chromium on two whole nodes: Alice
 * renames Carol (an empty name is her mistake, told in the page), blocks her, unblocks her (the
 * contact she was comes back), and removes her after confirming; each step is the node's state
 * too, not only the page's.
 */
@Tag("ui")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiContactsBrowserTest {

    /** A request crossing the DHT and two nodes on a busy shared machine: generous, and only a ceiling. */
    private static final double WAIT_MS = 60_000;

    @RegisterExtension
    static final UiFixture ui = UiFixture.perClass(WAIT_MS);

    private static final ObjectMapper JSON = new ObjectMapper();
    private ParleyNode alice;
    private ParleyNode carol;

    @BeforeAll
    void startNodes() throws Exception {
        alice = ui.user("alice");
        carol = ui.user("carol");
    }

    @Test
    void aliceRenamesBlocksUnblocksAndRemovesAContactInThePage() throws Exception {
        ui.name(alice, "Alice");
        ui.name(carol, "Carol");
        ui.befriend(alice, carol, "Carol");
        String carolId = carol.userId().orElseThrow().text();
        Page page = ui.open(alice, UiFixture.DESKTOP_WIDTH, UiFixture.DESKTOP_HEIGHT, "contacts");
        Locator entry = page.locator("li[data-user-id='" + carolId + "']");
        expect(entry.locator(".who")).hasText("Carol");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rename Carol")).click();
        Locator name = page.getByLabel("What you call Carol (only you see it)");
        name.fill("  ");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save name")).click();
        expect(page.locator("#rename-problem")).hasText("Type the name you want to see for them.");
        name.fill("Caro from work");
        screenshot(page, "contacts-rename-desktop");
        name.press("Enter");
        expect(entry.locator(".who")).hasText("Caro from work");
        assertThat(contact(carolId).get("name").asText()).isEqualTo("Caro from work");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Block Caro from work")).click();
        expect(entry).containsText("Blocked");
        assertThat(contact(carolId).get("state").asText()).isEqualTo("blocked");
        screenshot(page, "contacts-blocked-desktop");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Unblock Caro from work")).click();
        expect(entry).containsText("Contact");
        assertThat(contact(carolId).get("state").asText()).as("the block gave back what it replaced")
                .isEqualTo("accepted");

        // Removing asks first: a dismissed question changes nothing, an accepted one forgets her.
        page.onceDialog(dialog -> dialog.dismiss());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove Caro from work")).click();
        expect(entry).isVisible();
        assertThat(contact(carolId)).isNotNull();
        page.onceDialog(dialog -> {
            assertThat(dialog.message()).contains("Remove Caro from work?");
            dialog.accept();
        });
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove Caro from work")).click();
        expect(entry).hasCount(0);
        assertThat(contact(carolId)).as("forgotten by the node").isNull();
        assertThat(ui.consoleProblems).isEmpty();
    }

    /** Alice's node's view of the contact {@code userId}, or null if it does not know them. */
    private JsonNode contact(String userId) throws Exception {
        for (JsonNode c : JSON.readTree(ui.api(alice).get("/api/contacts").text()).get("contacts")) {
            if (c.get("userId").asText().equals(userId)) {
                return c;
            }
        }
        return null;
    }
}
