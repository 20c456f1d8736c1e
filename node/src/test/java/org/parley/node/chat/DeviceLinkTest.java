package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.libp2p.host.Stream;
import org.parley.node.ParleyNode;
import org.parley.node.cli.ExitCode;
import org.parley.node.cli.ParleyCommand;
import org.parley.node.api.ApiPaths;
import org.parley.node.devices.DeviceStore;
import org.parley.node.devices.LinkCode;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.devices.LinkCodec;
import org.parley.node.devices.LinkException;
import org.parley.node.devices.LinkFailedException;
import org.parley.node.devices.LinkMessage;
import org.parley.node.events.EventSubscription;
import org.parley.node.events.NodeEvent;
import picocli.CommandLine;

/**
 * Whole nodes on loopback linking devices: a second device of Alice gets her identity under its
 * own device number and both list the same two devices; a wrong, expired (the existing device's
 * clock moved on), reused or malformed code each fail with a clear message (exit code 1 from the
 * command line); a third party who knows only what crosses its own connection cannot link.
 */
class DeviceLinkTest {

    @TempDir
    Path dirS;

    @TempDir
    Path dirA1;

    @TempDir
    Path dirA2;

    @TempDir
    Path dirX;

    private final DeviceNodes nodes = new DeviceNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aSecondDeviceGetsTheIdentityUnderItsOwnNumberAndACodeWorksOnce() throws Exception {
        nodes.startServer(dirS);
        ParleyNode a1 = nodes.start(dirA1);
        List<NodeEvent> events = new CopyOnWriteArrayList<>();
        try (EventSubscription watch = a1.events().subscribe("test-devices", events::add)) {
            String code = nodes.linkCode(a1);
            ParleyNode a2 = nodes.start(dirA2, Optional.of(code), java.time.InstantSource.system());

            assertThat(a2.userId()).isEqualTo(a1.userId());
            for (ParleyNode n : List.of(a1, a2)) {
                JsonNode devices = nodes.devices(n);
                assertThat(devices.get("identity").asText()).isEqualTo(ChatNodes.userId(a1));
                assertThat(devices.get("version").asLong()).isEqualTo(2);
                assertThat(devices.get("devices")).hasSize(2);
                assertThat(devices.get("devices").get(0).get("peerId").asText()).isEqualTo(a1.host().peerId().toBase58());
                assertThat(devices.get("devices").get(0).get("number").asInt()).isEqualTo(1);
                assertThat(devices.get("devices").get(1).get("peerId").asText()).isEqualTo(a2.host().peerId().toBase58());
                assertThat(devices.get("devices").get(1).get("number").asInt()).isEqualTo(2);
            }
            assertThat(nodes.devices(a2).get("devices").get(1).get("thisDevice").asBoolean()).isTrue();
            assertThat(nodes.devices(a1).get("devices").get(0).get("thisDevice").asBoolean()).isTrue();
            java.util.function.Predicate<NodeEvent> secondAdded = e -> e instanceof NodeEvent.DeviceAdded added
                    && added.peer().equals(a2.host().peerId().toBase58()) && added.number() == 2;
            // Events reach subscribers on the bus's own thread: wait for it, then count.
            ChatNodes.await("the new device is told", () -> events.stream().anyMatch(secondAdded));
            assertThat(events).filteredOn(secondAdded).hasSize(1);

            assertThatThrownBy(() -> nodes.start(dirX, Optional.of(code), java.time.InstantSource.system()))
                    .isInstanceOf(LinkFailedException.class).hasMessageContaining("was used already");
        }
    }

    @Test
    void aRevokeRotatesTheHistoryKeyForTheRemainingDevicesOnly() throws Exception {
        nodes.startServer(dirS);
        ParleyNode a1 = nodes.start(dirA1);
        ParleyNode a2 = nodes.start(dirA2, Optional.of(nodes.linkCode(a1)), java.time.InstantSource.system());
        ParleyNode a3 = nodes.start(dirX, Optional.of(nodes.linkCode(a1)), java.time.InstantSource.system());
        DeviceStore.HistoryKey first = historyKey(a1).orElseThrow();
        assertThat(first.generation()).isEqualTo(1);
        for (ParleyNode n : List.of(a2, a3)) {
            assertThat(historyKey(n).orElseThrow().key()).isEqualTo(first.key());
        }
        ChatNodes.await("device 2 holds list version 3 (device 3 added)",
                () -> version(a2) == 3);

        nodes.chat.post(a1, ApiPaths.DEVICES_REVOKE, "device", "2");

        DeviceStore.HistoryKey rotated = historyKey(a1).orElseThrow();
        assertThat(rotated.generation()).isEqualTo(2);
        assertThat(rotated.key()).isNotEqualTo(first.key());
        ChatNodes.await("device 3 has the rotated key",
                () -> historyKey(a3).map(k -> java.util.Arrays.equals(k.key(), rotated.key())).orElse(false));
        assertThat(version(a3)).isEqualTo(4);
        assertThat(historyKey(a2).orElseThrow().generation()).isEqualTo(1);
        assertThat(nodes.devices(a3).get("devices")).hasSize(2);

        // Keys travel only inside the link and the encrypted stream: none reaches a disk in the clear.
        byte[] privateKey = new LocalIdentities(a1.storage().database(), a1.storage().cipher()).keyPair(
                new LocalIdentities(a1.storage().database(), a1.storage().cipher()).all().getFirst().rowId())
                .getPrivateKey().serialize();
        nodes.close();
        for (Path dir : List.of(dirA1, dirA2, dirX)) {
            assertNoBytesOf(dir, first.key(), "the first history key");
            assertNoBytesOf(dir, rotated.key(), "the rotated history key");
            assertNoBytesOf(dir, privateKey, "the identity private key");
        }
    }

    private static void assertNoBytesOf(Path dir, byte[] needle, String what) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                byte[] content = java.nio.file.Files.readAllBytes(file);
                boolean found = false;
                for (int i = 0; i + needle.length <= content.length && !found; i++) {
                    found = java.util.Arrays.equals(content, i, i + needle.length, needle, 0, needle.length);
                }
                assertThat(found).as(what + " in " + file).isFalse();
            }
        }
    }

    private static Optional<DeviceStore.HistoryKey> historyKey(ParleyNode node) {
        try {
            LocalIdentities identities = new LocalIdentities(node.storage().database(), node.storage().cipher());
            return new DeviceStore(node.storage().database(), node.storage().cipher())
                    .currentHistoryKey(identities.all().getFirst().rowId());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long version(ParleyNode node) {
        try {
            return nodes.devices(node).get("version").asLong();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theDevicesCommandsListLinkAndRefuseToRevokeThisDevice() throws Exception {
        nodes.startServer(dirS);
        ParleyNode a1 = nodes.start(dirA1);

        StringWriter out = new StringWriter();
        assertThat(cli(out, new StringWriter(), "devices", "link", "--data-dir", dirA1.toString()))
                .isEqualTo(ExitCode.OK);
        String code = out.toString().lines().findFirst().orElseThrow();
        assertThat(LinkCode.parse(code).device()).isEqualTo(a1.host().peerId());
        assertThat(out.toString()).contains("it works once");
        ParleyNode a2 = nodes.start(dirA2, Optional.of(code), java.time.InstantSource.system());

        StringWriter list = new StringWriter();
        assertThat(cli(list, new StringWriter(), "devices", "--data-dir", dirA2.toString())).isEqualTo(ExitCode.OK);
        assertThat(list.toString()).contains("device list version 2")
                .contains("1  " + a1.host().peerId().toBase58())
                .contains("2  " + a2.host().peerId().toBase58() + "  this device");

        StringWriter err = new StringWriter();
        assertThat(cli(new StringWriter(), err, "devices", "revoke", "2", "--data-dir", dirA2.toString()))
                .isEqualTo(ExitCode.ERROR);
        assertThat(err.toString()).contains("this is the device you are using: revoke it from another of your devices");
        err = new StringWriter();
        assertThat(cli(new StringWriter(), err, "devices", "revoke", "9", "--data-dir", dirA1.toString()))
                .isEqualTo(ExitCode.ERROR);
        assertThat(err.toString()).contains("no current device '9'");
    }

    private static int cli(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = ParleyCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void aWrongCodeStopsTheStartWithExitCodeOneAndSaysWhatToDo() throws Exception {
        nodes.startServer(dirS);
        ParleyNode a1 = nodes.start(dirA1);
        LinkCode real = LinkCode.parse(nodes.linkCode(a1));
        byte[] otherSecret = new byte[LinkCode.SECRET_BYTES];
        new SecureRandom().nextBytes(otherSecret);
        String wrong = new LinkCode(real.device(), real.addresses(), otherSecret).format();

        StringWriter err = new StringWriter();
        CommandLine cli = ParleyCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        int exit = cli.execute("--data-dir", dirA2.toString(), "--listen", "/ip4/127.0.0.1/tcp/0", "--api-port", "0",
                "--link", wrong);

        assertThat(exit).isEqualTo(ExitCode.ERROR).isEqualTo(1);
        assertThat(err.toString()).startsWith("parley: cannot link this device: the other device does not accept"
                + " this link code").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void anExpiredCodeFails() throws Exception {
        nodes.startServer(dirS);
        DeviceNodes.MovableClock clock = new DeviceNodes.MovableClock();
        ParleyNode a1 = nodes.start(dirA1, Optional.empty(), clock);
        String code = nodes.linkCode(a1);
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));

        assertThatThrownBy(() -> nodes.start(dirA2, Optional.of(code), java.time.InstantSource.system()))
                .isInstanceOf(LinkFailedException.class).hasMessageContaining("this link code expired")
                .hasMessageContaining("make a new one");
    }

    @Test
    void aMalformedCodeFailsBeforeAnythingIsDialed() throws Exception {
        nodes.startServer(dirS);
        ParleyNode a1 = nodes.start(dirA1);
        String code = nodes.linkCode(a1);
        // One character of the code's body mistyped: it must differ from the one it replaces.
        int at = code.length() - 3;
        String typo = code.substring(0, at) + (code.charAt(at) == 'A' ? 'B' : 'A') + code.substring(at + 1);
        assertThat(typo).isNotEqualTo(code);

        assertThatThrownBy(() -> nodes.start(dirA2, Optional.of(typo), java.time.InstantSource.system()))
                .isInstanceOf(LinkFailedException.class).hasMessageContaining("this is not a link code");
    }

    @Test
    void aThirdPartyWithoutTheSecretIsRefusedAndTheOwnerStillLinks() throws Exception {
        nodes.startServer(dirS);
        ParleyNode a1 = nodes.start(dirA1);
        ParleyNode stranger = nodes.start(dirX);
        String code = nodes.linkCode(a1);
        LinkCode parsed = LinkCode.parse(code);

        // The stranger even knows the code's id (a hash of the secret), but not the secret itself.
        Stream stream = stranger.host().newStream(a1.host().peerId(), "/parley/link/1.0.0");
        byte[] nonce = new byte[32];
        LinkCodec.write(stream.out(), new LinkMessage.Hello(parsed.id(), nonce));
        assertThat(LinkCodec.read(stream.in())).isInstanceOf(LinkMessage.Challenge.class);
        LinkCodec.write(stream.out(), new LinkMessage.Proof(new byte[32]));
        assertThat(LinkCodec.read(stream.in())).isEqualTo(new LinkMessage.Refused(LinkException.Reason.WRONG));
        stream.close();
        assertThat(nodes.devices(a1).get("devices")).hasSize(1);

        ParleyNode a2 = nodes.start(dirA2, Optional.of(code), java.time.InstantSource.system());
        assertThat(a2.userId()).isEqualTo(a1.userId());
        assertThat(nodes.devices(a1).get("devices")).hasSize(2);
    }
}
