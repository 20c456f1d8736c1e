package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.DataDir;
import org.parley.node.NodeRunner;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.devices.LinkThisStatus;

/**
 * What the page's "Link this device" asks of the {@link NodeRunner}, without a browser: a fresh
 * node restarts as the new device of the user whose code it got, on the same API port and token,
 * and the database it had is gone; with a used code it comes back as the same fresh node (its
 * database put back) with {@code --link}'s message in its status. The page itself is tested in
 * WebUiLinkThisDeviceBrowserTest and the journey.
 */
class LinkThisDeviceTest {

    @TempDir
    Path dirS;

    @TempDir
    Path dirA;

    @TempDir
    Path dirFresh;

    @TempDir
    Path dirOther;

    private final DeviceNodes nodes = new DeviceNodes();
    private NodeRunner fresh;
    private NodeRunner other;

    @AfterEach
    void stop() {
        for (NodeRunner runner : Stream.of(other, fresh).filter(r -> r != null).toList()) {
            runner.close();
        }
        nodes.close();
    }

    @Test
    void aFreshNodeRestartsAsTheNewDeviceAndAUsedCodeBringsItBackAsItWas() throws Exception {
        nodes.startServer(dirS);
        ParleyNode alice = nodes.start(dirA);
        String code = nodes.linkCode(alice);

        fresh = runner(dirFresh);
        ParleyNode before = fresh.node();
        UserId freshUser = before.userId().orElseThrow();
        fresh.prepare(code).run();
        awaitSettled(fresh);
        assertThat(fresh.status()).isEqualTo(LinkThisStatus.LINKED);
        ParleyNode linked = fresh.node();
        assertThat(linked.userId()).isEqualTo(alice.userId()).isNotEqualTo(Optional.of(freshUser));
        assertThat(linked.apiEndpoint().port()).isEqualTo(before.apiEndpoint().port());
        assertThat(linked.apiEndpoint().token()).isEqualTo(before.apiEndpoint().token());
        assertThat(nodes.devices(alice).get("devices")).hasSize(2);
        assertThat(movedAside(dirFresh)).as("the fresh database is deleted after the link").isEmpty();

        // The code is spent: a second fresh node fails to link and is itself again, with the reason.
        other = runner(dirOther);
        UserId otherUser = other.node().userId().orElseThrow();
        other.prepare(code).run();
        awaitSettled(other);
        assertThat(other.status().state()).isEqualTo(LinkThisStatus.State.FAILED);
        assertThat(other.status().message()).startsWith("This link code was used already");
        assertThat(other.node().userId()).contains(otherUser);
        assertThat(movedAside(dirOther)).as("the database is back in place").isEmpty();
        assertThat(nodes.chat.get(other.node(), "/api/id").get("peerId").asText())
                .isEqualTo(other.node().host().peerId().toBase58());
    }

    private NodeRunner runner(Path dir) throws Exception {
        return NodeRunner.start(new NodeSettings(new DataDir(dir), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                List.of(nodes.chat.serverAddress()), 0, ModePolicy.SERVER), Optional.empty(), InstantSource.system());
    }

    /** Waits until the restart has finished one way or the other; the link exchange has its own timeouts. */
    private static void awaitSettled(NodeRunner runner) throws InterruptedException {
        Instant deadline = Instant.now().plus(ChatNodes.WAIT);
        while ((runner.status().state() == LinkThisStatus.State.LINKING || runner.node() == null)
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
    }

    private static List<Path> movedAside(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(".before-link")).toList();
        }
    }
}
