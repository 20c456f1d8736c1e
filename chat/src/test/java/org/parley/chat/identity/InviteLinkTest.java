package org.parley.chat.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.multiaddr.Multiaddr;

/** Invite links: formatting, parsing, every limit and the messages a person sees. */
class InviteLinkTest {

    private static final UserId ID = UserId.fromPublicKeyBytes(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
    private static final Multiaddr ADDR = Multiaddr.parse(
            "/ip4/192.168.1.20/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");

    @Test
    void formatsAndParsesBack() throws Exception {
        InviteLink link = new InviteLink(ID, List.of(ADDR, Multiaddr.parse("/ip6/::1/tcp/4001")), Optional.of("Zoë & Co+1"));
        String text = link.format();
        assertThat(text).isEqualTo("parley:invite?id=" + ID.text() + "&addr=" + ADDR + "&addr=/ip6/::1/tcp/4001"
                + "&name=Zo%C3%AB%20%26%20Co%2B1");
        assertThat(InviteLink.parse(text)).isEqualTo(link);
        assertThat(InviteLink.parse("parley:invite?id=" + ID.text())).isEqualTo(new InviteLink(ID, List.of(), Optional.empty()));
    }

    @Test
    void readsFormEncodingAndSkipsUnknownParameters() throws Exception {
        InviteLink link = InviteLink.parse(" parley:invite?v=2&name=Ann+Lee&id=" + ID.text() + "&addr=%2Fip4%2F10.0.0.1%2Ftcp%2F1\n");
        assertThat(link.displayName()).contains("Ann Lee");
        assertThat(link.addresses()).containsExactly(Multiaddr.parse("/ip4/10.0.0.1/tcp/1"));
    }

    @Test
    void typoInTheIdIsReportedAsATypo() {
        String text = new InviteLink(ID, List.of(), Optional.empty()).format();
        int at = text.length() - 10;
        String typo = text.substring(0, at) + (text.charAt(at) == 'q' ? 'p' : 'q') + text.substring(at + 1);
        assertThatThrownBy(() -> InviteLink.parse(typo)).isInstanceOf(InvalidInviteException.class)
                .hasMessageStartingWith("the ID in this invite link is not valid: this user ID has a typo")
                .cause().isInstanceOfSatisfying(InvalidUserIdException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidUserIdException.Reason.TYPO));
    }

    @Test
    void rejectsWhatIsNotAnInviteWithMessagesThatSayWhatToDo() {
        String id = "id=" + ID.text();
        assertThatThrownBy(() -> InviteLink.parse("https://example.com/?" + id))
                .hasMessage("this is not a Parley invite link: it must start with parley:invite?");
        assertThatThrownBy(() -> InviteLink.parse("parley:invite?name=x"))
                .hasMessage("this invite link has no id= parameter: copy the whole link again");
        assertThatThrownBy(() -> InviteLink.parse("parley:invite?" + id + "&" + id))
                .hasMessage("this invite link names two user IDs; it must name one");
        assertThatThrownBy(() -> InviteLink.parse("parley:invite?" + id + "&name=a&name=b"))
                .hasMessage("this invite link has two names; it must have at most one");
        assertThatThrownBy(() -> InviteLink.parse("parley:invite?" + id + "&name=%E2%28"))
                .hasMessage("the name in this invite link is not valid UTF-8 text: copy the whole link again");
        assertThatThrownBy(() -> InviteLink.parse("parley:invite?" + id + "&name=a%2"))
                .hasMessage("the name in this invite link has a broken %-escape at character 2: copy the whole link again");
        assertThatThrownBy(() -> InviteLink.parse("parley:invite?" + id + "&name=a%0Ab"))
                .hasMessage("the name in this invite link has control characters");
        assertThatThrownBy(() -> InviteLink.parse("parley:invite?" + id + "&name=" + "x".repeat(65)))
                .hasMessage("the name in this invite link has 65 characters; at most 64 are allowed");
        assertThatThrownBy(() -> InviteLink.parse("parley:invite?" + id + "&addr=/ip4/1.2.3.4/foo"))
                .hasMessageStartingWith("address 1 in this invite link is not a valid address: ");
    }

    @Test
    void everyLimitIsEnforcedBeforeTheWorkItBounds() {
        String id = "id=" + ID.text();
        List<String> parts = new ArrayList<>();
        parts.add(id);
        for (int i = 0; i < InviteLink.MAX_ADDRESSES + 1; i++) {
            parts.add("addr=/ip4/10.0.0." + i + "/tcp/1");
        }
        assertThatThrownBy(() -> InviteLink.parse("parley:invite?" + String.join("&", parts)))
                .hasMessage("this invite link has more than 8 addresses; a Parley invite has at most 8");
        assertThatThrownBy(() -> InviteLink.parse("parley:invite?" + id + "&x".repeat(16)))
                .hasMessage("this invite link has more than 16 parameters; a Parley invite has an id, a few addresses and a name");
        assertThatThrownBy(() -> InviteLink.parse("parley:invite?" + id + "&addr=/dns4/" + "a".repeat(300) + "/tcp/1"))
                .hasMessage("address 1 in this invite link is 312 characters long; at most 300 are allowed");
        assertThatThrownBy(() -> InviteLink.parse("parley:invite?" + id + "&name=" + "a".repeat(2048)))
                .hasMessage("this invite link is 2137 characters long; a Parley invite has at most 2048. Copy it again");
    }

    @Test
    void recordRefusesWhatCouldNotBeParsedBack() {
        assertThatThrownBy(() -> new InviteLink(ID, List.of(), Optional.of("a\u0000b")))
                .hasMessage("invalid display name: it has control characters");
        assertThatThrownBy(() -> new InviteLink(ID, java.util.Collections.nCopies(9, ADDR), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
