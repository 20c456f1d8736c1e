package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.cli.ExitCode;
import org.parley.node.testing.CliRun;

/**
 * Identities through the CLI of a whole node: the first one exists at start and {@code id} shows
 * it with its invite link; {@code identities new} and {@code retire}; {@code --identity} picks
 * one; the invite's QR code is served; mistakes exit 1 with a message.
 */
class ChatIdentitiesTest {

    @TempDir
    Path dirS;

    @TempDir
    Path dir;

    private final ChatNodes nodes = new ChatNodes();
    private ParleyNode node;

    @BeforeEach
    void start() throws Exception {
        nodes.startServer(dirS);
        node = nodes.start(dir, 0);
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void idShowsTheFirstIdentityAndItsInviteLink() throws Exception {
        JsonNode id = CliRun.json(dir, "id");
        assertThat(id.get("userId").asText()).isEqualTo(ChatNodes.userId(node)).startsWith("parley1");
        assertThat(id.get("inviteLink").asText()).startsWith("parley:invite?id=" + ChatNodes.userId(node) + "&addr=");
        CliRun text = CliRun.run(dir, "id");
        assertThat(text.out().lines()).contains("user-id: " + ChatNodes.userId(node));
    }

    @Test
    void identitiesAreCreatedChosenAndRetired() throws Exception {
        JsonNode work = CliRun.json(dir, "identities", "new", "Work");
        assertThat(work.get("displayName").asText()).isEqualTo("Work");
        JsonNode all = CliRun.json(dir, "identities").get("identities");
        assertThat(all).hasSize(2);
        assertThat(all.get(0).get("isDefault").asBoolean()).isTrue();
        assertThat(all.get(1).get("userId").asText()).isEqualTo(work.get("userId").asText());

        JsonNode contacts = CliRun.json(dir, "contacts", "--identity", "Work");
        assertThat(contacts.get("identity").asText()).isEqualTo(work.get("userId").asText());

        CliRun taken = CliRun.run(dir, "identities", "new", "Work");
        assertThat(taken.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(taken.err()).contains("exists already");

        assertThat(CliRun.json(dir, "identities", "retire", "Work").get("retired").asBoolean()).isTrue();
        CliRun retired = CliRun.run(dir, "contacts", "--identity", "Work");
        assertThat(retired.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(retired.err()).contains("no active identity named 'Work'");
    }

    @Test
    void mistakesExitOneWithWhatToDo() {
        CliRun unknown = CliRun.run(dir, "send", "nobody", "hi");
        assertThat(unknown.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(unknown.err()).contains("no contact is named 'nobody'").doesNotContain("Exception");

        String id = ChatNodes.userId(node);
        String other = id.substring(0, 30) + (id.charAt(30) == 'q' ? 'p' : 'q') + id.substring(31);
        CliRun typo = CliRun.run(dir, "contacts", "add", other);
        assertThat(typo.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(typo.err()).contains("typo");

        CliRun self = CliRun.run(dir, "contacts", "add", id);
        assertThat(self.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(self.err()).contains("one of this node's own identities");

        CliRun longIntro = CliRun.run(dir, "contacts", "add", "parley1qjlre54m09pptkvcqahfq3ncvf3lw372th0lfntrl9q88xu2tu97s8y0aqy",
                "--intro", "x".repeat(281));
        assertThat(longIntro.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(longIntro.err()).contains("at most 280 characters");
    }

    @Test
    void theInviteLinksQrCodeIsServedAsSvgThatDecodesToTheLink() throws Exception {
        HttpResponse<String> qr = nodes.getRaw(node, ApiPaths.IDENTITY_QR);
        assertThat(qr.statusCode()).isEqualTo(200);
        assertThat(qr.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
        String invite = CliRun.json(dir, "id").get("inviteLink").asText();
        assertThat(org.parley.node.api.QrSvgTest.decode(qr.body())).isEqualTo(invite);
    }
}
