package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.ParleyVersion;
import org.parley.node.api.ApiPaths;
import org.parley.node.nat.RelayServicePolicy;
import org.parley.node.testing.CliRun;
import org.parley.node.versions.SignedVersionList;
import org.parley.node.versions.UnsafeVersionSource;

/**
 * Whole nodes with unsafe-version lists: A's list, signed by the key A pins, flags every Parley
 * version, so A shows B's client with a warning and still chats with B; B's list flags the same
 * but is signed by another key, so B ignores it and shows A's client without a warning.
 */
class ClientVersionWarningsTest {

    private static final String FLAG_EVERY_PARLEY =
            "{\"entries\": [{\"name\": \"parley\", \"from\": \"0\", \"reason\": \"test builds must not chat\"}]}";

    @TempDir
    Path serverDir;

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    @TempDir
    Path lists;

    @Test
    void aContactOnAFlaggedVersionShowsAWarningAndAListWithABadSignatureIsIgnored() throws Exception {
        Ed25519PrivateKey maintainer = Ed25519PrivateKey.generate();
        Path good = Files.writeString(lists.resolve("good.json"), SignedVersionList.sign(FLAG_EVERY_PARLEY, maintainer));
        Path forged = Files.writeString(lists.resolve("forged.json"),
                SignedVersionList.sign(FLAG_EVERY_PARLEY, Ed25519PrivateKey.generate()));
        List<ParleyNode> started = new ArrayList<>();
        ChatNodes nodes = new ChatNodes();
        try {
            nodes.startServer(serverDir);
            ParleyNode a = start(started, dirA, nodes.serverAddress(),
                    new UnsafeVersionSource(good.toString(), maintainer.publicKey()));
            ParleyNode b = start(started, dirB, nodes.serverAddress(),
                    new UnsafeVersionSource(forged.toString(), maintainer.publicKey()));
            String agent = ParleyVersion.agentVersion();

            nodes.post(a, ApiPaths.CONTACTS, "contact", ChatNodes.userId(b), "intro", "hi", "name", "bob");
            ChatNodes.await("B sees A's request", () -> !list(nodes, b, ApiPaths.REQUESTS).isEmpty());
            nodes.post(b, ApiPaths.CONTACTS_ACCEPT, "contact", ChatNodes.userId(a));
            ChatNodes.await("A sees B accept and B's client",
                    () -> contact(nodes, a, ChatNodes.userId(b)).path("clientVersion").asText("").equals(agent));

            JsonNode bAtA = contact(nodes, a, ChatNodes.userId(b));
            assertThat(bAtA.get("state").asText()).isEqualTo("accepted");
            assertThat(bAtA.get("versionWarning").asText()).contains(agent).contains("test builds must not chat");
            JsonNode aAtB = contact(nodes, b, ChatNodes.userId(a));
            assertThat(aAtB.get("clientVersion").asText()).isEqualTo(agent);
            assertThat(aAtB.get("versionWarning").isNull()).as("B ignored its badly signed list").isTrue();

            CliRun cli = CliRun.run(dirA, "contacts");
            assertThat(cli.out()).contains("bob").contains(agent)
                    .contains("WARNING: their client " + agent + " is flagged unsafe: test builds must not chat");
            assertThat(CliRun.run(dirB, "contacts").out()).contains(agent).doesNotContain("WARNING");

            nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", "still chatting");
            ChatNodes.await("B gets A's message despite the warning", () -> history(nodes, b, ChatNodes.userId(a))
                    .contains("still chatting"));
        } finally {
            started.reversed().forEach(ParleyNode::close);
            nodes.close();
        }
    }

    private static ParleyNode start(List<ParleyNode> started, Path dir, Multiaddr bootstrap,
            UnsafeVersionSource unsafe) throws Exception {
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(dir), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                List.of(bootstrap), 0, ModePolicy.SERVER, null, RelayServicePolicy.OFF).withUnsafeVersions(unsafe));
        started.add(node);
        return node;
    }

    private static List<JsonNode> list(ChatNodes nodes, ParleyNode node, String path) {
        try {
            List<JsonNode> out = new ArrayList<>();
            nodes.get(node, path).get("contacts").forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> history(ChatNodes nodes, ParleyNode node, String contact) {
        try {
            List<String> texts = new ArrayList<>();
            nodes.post(node, ApiPaths.HISTORY, "contact", contact).get("messages")
                    .forEach(m -> texts.add(m.get("text").asText()));
            return texts;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode contact(ChatNodes nodes, ParleyNode node, String userId) {
        return list(nodes, node, ApiPaths.CONTACTS).stream().filter(c -> c.get("userId").asText().equals(userId))
                .findFirst().orElseThrow(() -> new AssertionError(userId + " is no contact"));
    }
}
