package org.parley.node.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.node.web.UiFixture.expect;
import static org.parley.node.web.UiFixture.screenshot;
import static org.parley.node.web.UiFixture.scrollsSideways;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.node.ParleyNode;

/**
 * A group of three in Debian's Chromium, one browser context each, on three whole nodes over
 * loopback (contacts of each other, set up through the API): Alice creates the group in her page
 * from her contacts, Bob and Carol join it from the invitations among their requests, each sends
 * and every page shows every message live with its sender; Bob, not an admin, sees no member
 * controls but a note saying who has them; Alice renames the group with the keyboard alone and
 * removes Carol, whose page then says she is no longer a member; Bob leaves, and declines a later
 * invitation. Carol's chat list counts the group's unread messages live, and the count is the
 * node's: it survives a reload and ends when she opens the group. Screenshots at desktop and phone
 * width go to {@code target/screenshots/}; the phone page does not scroll sideways.
 */
@Tag("ui")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiGroupsBrowserTest {

    /** Group operations and messages crossing three nodes on a busy shared machine: generous, and only a ceiling. */
    private static final double WAIT_MS = 90_000;
    /** The most Tab presses from the top of the page to the group's entry: the skip link, nav, list entries. */
    private static final int MAX_TABS = 30;

    @RegisterExtension
    static final UiFixture ui = UiFixture.perClass(WAIT_MS);

    private ParleyNode alice;
    private ParleyNode bob;
    private ParleyNode carol;

    @BeforeAll
    void startNodes() throws Exception {
        alice = ui.user("alice");
        bob = ui.user("bob");
        carol = ui.user("carol");
    }

    @Test
    void threeUsersMakeAGroupInThePageTalkLiveAndAMemberIsRemoved() throws Exception {
        ui.name(alice, "Alice");
        ui.name(bob, "Bob");
        ui.name(carol, "Carol");
        ui.befriend(alice, bob, "Bob");
        ui.befriend(alice, carol, "Carol");
        ui.befriend(bob, carol, "Carol");

        Page alicePage = ui.open(alice, UiFixture.DESKTOP_WIDTH, UiFixture.DESKTOP_HEIGHT, "chats");
        Page bobPage = ui.open(bob, UiFixture.PHONE_WIDTH, UiFixture.PHONE_HEIGHT, "contacts");
        Page carolPage = ui.open(carol, UiFixture.DESKTOP_WIDTH, UiFixture.DESKTOP_HEIGHT, "contacts");

        // A group without a name or members is the user's mistake: the page says what to do.
        alicePage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New group")).click();
        Locator create = alicePage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create group"));
        create.click();
        expect(alicePage.locator("#create-problem")).hasText("Give the group a name.");
        alicePage.getByLabel("Group name").fill("Team <b>");
        create.click();
        expect(alicePage.locator("#create-problem")).hasText("Choose at least one contact to be in the group.");
        alicePage.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName("Bob")).check();
        alicePage.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName("Carol")).check();
        screenshot(alicePage, "groups-new-desktop");
        create.click();

        Locator aliceMembers = alicePage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Members"));
        expect(aliceMembers.locator("li")).hasCount(3);
        expect(aliceMembers).containsText("Bob");
        expect(aliceMembers).containsText("Carol");
        expect(alicePage.locator("#talk-title")).hasText("Team <b>");

        // The invitation arrives among Bob's and Carol's requests without a reload; they join.
        for (Page page : List.of(bobPage, carolPage)) {
            Locator invitations = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Group invitations"));
            expect(invitations).containsText("Team <b>");
            expect(invitations).containsText("Alice");
        }
        screenshot(bobPage, "groups-invitation-phone");
        assertThat(scrollsSideways(bobPage)).as("Bob's phone-width page scrolls sideways").isFalse();
        screenshot(carolPage, "groups-invitation-desktop");
        for (Page page : List.of(bobPage, carolPage)) {
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join group Team <b>")).click();
            expect(page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Group invitations"))).hasCount(0);
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Chats")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Group Team <b>")).click();
        }

        // Bob is no admin: no member controls, and a note saying who has them.
        expect(bobPage.locator("#admin-note")).containsText("Only an admin can");
        expect(bobPage.locator("#admin-note")).containsText("Alice");
        assertThat(bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove Carol from the group"))
                .count()).isZero();
        expect(alicePage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove Carol from the group")))
                .isVisible();

        // Each sends; every page shows all three messages live, with who sent each.
        Map<Page, String> texts = Map.of(alicePage, "from Alice", bobPage, "from Bob", carolPage, "from Carol");
        for (Page page : List.of(alicePage, bobPage, carolPage)) {
            Locator compose = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
            compose.fill(texts.get(page));
            compose.press("Enter");
            expect(compose).hasValue("");
        }
        for (Page page : List.of(alicePage, bobPage, carolPage)) {
            Locator log = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Messages"));
            for (String text : texts.values()) {
                expect(log).containsText(text);
            }
            expect(log.locator("li")).hasCount(3);
        }
        Locator bobLog = bobPage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Messages"));
        expect(bobLog.locator("li.incoming", new Locator.LocatorOptions().setHasText("from Alice")).locator(".sender"))
                .hasText("Alice");
        expect(bobLog.locator("li.incoming", new Locator.LocatorOptions().setHasText("from Carol")).locator(".sender"))
                .hasText("Carol");
        screenshot(alicePage, "groups-conversation-desktop");
        screenshot(bobPage, "groups-conversation-phone");
        assertThat(scrollsSideways(bobPage)).as("Bob's phone-width page scrolls sideways").isFalse();

        // Alice renames the group with the keyboard alone: the rename box is labelled, Enter submits.
        Locator rename = alicePage.getByLabel("New name for the group");
        rename.focus();
        rename.pressSequentially("Team");
        rename.press("Enter");
        expect(alicePage.locator("#talk-title")).hasText("Team");
        expect(carolPage.locator("#talk-title")).hasText("Team");
        expect(bobPage.locator("#talk-title")).hasText("Team");

        // Groups count unread messages like contacts: Carol's list (no conversation open after a
        // reload) counts what Alice and Bob send, live; the count is the node's, so it survives a
        // reload; opening the group reads them, and the count is gone, also after a reload.
        carolPage.reload();
        Locator carolEntry = carolPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Group Team")
                .setExact(true));
        expect(carolEntry).isVisible();
        for (Page page : List.of(alicePage, bobPage)) {
            Locator compose = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
            compose.fill("while Carol is away, " + texts.get(page));
            compose.press("Enter");
            expect(compose).hasValue("");
        }
        Locator carolUnread = carolPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions()
                .setName("Group Team, 2 unread").setExact(true));
        expect(carolUnread).isVisible();
        expect(carolUnread.locator(".badge")).hasText("2");
        expect(carolUnread).containsText("while Carol is away");
        screenshot(carolPage, "groups-unread-desktop");
        carolPage.reload();
        expect(carolUnread).isVisible();
        // The last message comes from the node too, not only from the live events before the reload.
        expect(carolUnread.locator(".last")).hasText("while Carol is away, " + texts.get(bobPage));
        Page carolPhone = ui.open(carol, UiFixture.PHONE_WIDTH, UiFixture.PHONE_HEIGHT, "chats");
        expect(carolPhone.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Group Team, 2 unread")
                .setExact(true))).isVisible();
        screenshot(carolPhone, "groups-unread-phone");
        assertThat(scrollsSideways(carolPhone)).as("Carol's phone-width list scrolls sideways").isFalse();
        carolPhone.close();
        carolUnread.click();
        Locator carolLog = carolPage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Messages"));
        expect(carolLog.locator("li")).hasCount(5);
        expect(carolEntry).isVisible();
        carolPage.reload();
        expect(carolEntry).isVisible();
        expect(carolPage.locator(".badge")).hasCount(0);
        carolEntry.click();
        expect(carolPage.locator("#talk-title")).hasText("Team");

        // The group's entry in the list is reached by Tab from the top of the page.
        alicePage.reload();
        Locator entry = alicePage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Group Team"));
        expect(entry).isVisible();
        assertThat(UiFixture.tabsTo(alicePage, entry, MAX_TABS)).as("Tab reaches the group's entry").isTrue();
        alicePage.keyboard().press("Enter");
        expect(alicePage.locator("#talk-title")).hasText("Team");

        // Alice removes Carol; Carol's page says she is out, and the others see two members.
        alicePage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove Carol from the group")).click();
        expect(aliceMembers.locator("li")).hasCount(2);
        expect(aliceMembers).not().containsText("Carol");
        expect(carolPage.getByText("You are no longer a member of this group.")).isVisible();
        expect(carolPage.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"))).hasCount(0);
        expect(bobPage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Members")).locator("li"))
                .hasCount(2);
        screenshot(alicePage, "groups-member-removed-desktop");
        screenshot(carolPage, "groups-removed-desktop");
        screenshot(bobPage, "groups-member-removed-phone");
        assertThat(scrollsSideways(bobPage)).as("Bob's phone-width page scrolls sideways").isFalse();

        // Bob leaves (the page asks first); Alice's page shows her alone.
        bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Leave the group")).click();
        bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Yes, leave the group")).click();
        expect(bobPage.getByText("You are no longer a member of this group.")).isVisible();
        expect(aliceMembers.locator("li")).hasCount(1);

        // An invitation Bob declines leaves his requests.
        bobPage.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Contacts")).click();
        APIResponse created = ui.api(alice).post("/api/groups", RequestOptions.create()
                .setData(Map.of("name", "Later", "members", List.of(bob.userId().orElseThrow().text()))));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        Locator invitations = bobPage.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Group invitations"));
        expect(invitations).containsText("Later");
        bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Decline group Later")).click();
        expect(invitations).hasCount(0);
        assertThat(ui.consoleProblems).isEmpty();
    }
}
