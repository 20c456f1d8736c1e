package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.dht.DhtFeature;
import org.parley.node.events.EventsFeature;
import org.parley.node.identity.UserDirectoryFeature;
import org.parley.node.network.NetworkFeature;

/**
 * A node on a machine where libsignal does not load: it starts, prints no user-id line, serves
 * everything else, and every chat endpoint answers 503 with the one reason.
 */
class ChatUnavailableTest {

    private static final String REASON = "end-to-end encrypted chat is off: Signal's native library (libsignal)"
            + " does not load on Plan 9 mips (no such library)";

    @TempDir
    Path dir;

    @Test
    void theNodeStartsWithoutChatAndSaysWhy() throws Exception {
        NodeSettings settings = new NodeSettings(new DataDir(dir), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                List.of(), 0, ModePolicy.SERVER);
        try (ParleyNode node = ParleyNode.start(settings, List.of(new NetworkFeature(), new DhtFeature(),
                new UserDirectoryFeature(), new EventsFeature(), new ChatFeature(() -> Optional.of(REASON))),
                InstantSource.system()); ChatNodes api = new ChatNodes()) {
            StringWriter out = new StringWriter();
            node.printStartup(new PrintWriter(out));
            assertThat(out.toString().lines()).noneMatch(l -> l.startsWith("user-id:")).contains("ready");

            assertThat(api.get(node, ApiPaths.ID).get("userId").isNull()).isTrue();
            for (String path : List.of(ApiPaths.IDENTITIES, ApiPaths.CONTACTS, ApiPaths.REQUESTS)) {
                HttpResponse<String> answer = api.getRaw(node, path);
                assertThat(answer.statusCode()).as(path).isEqualTo(503);
                assertThat(answer.body()).contains(REASON);
            }
        }
    }
}
