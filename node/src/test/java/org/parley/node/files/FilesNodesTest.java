package org.parley.node.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.files.link.FileLink;
import org.parley.files.manifest.FileId;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Base58;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.GetFileRequest;
import org.parley.node.api.dto.ShareRequest;
import org.parley.node.api.dto.TransferAnswer;
import org.parley.node.cli.ApiClient;
import org.parley.node.cli.CliException;
import org.parley.node.cli.ExitCode;
import org.parley.node.testing.CliRun;

/**
 * Whole nodes in this JVM on loopback TCP, sharing and fetching a file through the CLI as a user
 * would: one node shares, two fetch it and seed it on, and a fourth, once the DHT lists all three as
 * providers, fetches it through the DHT alone (which of them sent which piece is not checked).
 */
class FilesNodesTest {

    private static final Multiaddr LOOPBACK_RANDOM_PORT = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    /** Large enough for 128 pieces of 256 KiB, so every seeder has pieces to give. */
    private static final int UNIT_FILE_BYTES = 32 << 20;
    private static final int SLOW_FILE_BYTES = 256 << 20;
    /** DHT announcements run in the background; on loopback they land within a second or two. */
    private static final long PROVIDERS_DEADLINE_MS = 30_000;

    @TempDir
    Path root;

    private final List<ParleyNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.reversed().forEach(ParleyNode::close);
    }

    @Test
    void aFileFromThreeSeedersReachesALeecherIntact() throws Exception {
        fromThreeSeeders(UNIT_FILE_BYTES);
    }

    @Test
    @Tag("slow")
    void a256MiBFileFromThreeSeedersReachesALeecherIntact() throws Exception {
        fromThreeSeeders(SLOW_FILE_BYTES);
    }

    private void fromThreeSeeders(int size) throws Exception {
        ParleyNode a = start("a", List.of());
        Multiaddr bootstrap = a.dialableAddresses().getFirst();
        ParleyNode b = start("b", List.of(bootstrap));
        ParleyNode c = start("c", List.of(bootstrap));
        ParleyNode d = start("d", List.of(bootstrap));
        Path original = randomFile(root.resolve("original.bin"), size);

        String link = CliRun.json(dir(a), "share", original.toString()).get("link").asText();
        for (ParleyNode seeder : List.of(b, c)) {
            Path out = Files.createDirectories(root.resolve("out-" + seeder.host().peerId().toBase58()));
            CliRun got = CliRun.run(dir(seeder), "get", link, "--out", out.toString(), "--wait");
            assertThat(got.exit()).as(got.err()).isEqualTo(ExitCode.OK);
            assertThat(sha256(out.resolve("original.bin"))).isEqualTo(sha256(original));
        }
        FileLink parsed = FileLink.parse(link);
        awaitProviders(d, parsed.fileId(), Set.of(a, b, c));

        // Without peer hints: the leecher finds its sources through the DHT only.
        String hintless = new FileLink(parsed.fileId(), parsed.name(), parsed.size(), List.of(), parsed.key()).toUri();
        Path out = Files.createDirectories(root.resolve("out-d"));
        CliRun got = CliRun.run(dir(d), "get", hintless, "--out", out.toString(), "--wait");
        assertThat(got.exit()).as(got.err()).isEqualTo(ExitCode.OK);
        assertThat(sha256(out.resolve("original.bin"))).isEqualTo(sha256(original));

        // The finished file is read once more to be served: seeding follows done.
        JsonNode share = awaitState(dir(d), parsed.fileId().toString(), "seeding");
        assertThat(share.get("kind").asText()).isEqualTo("share");
        assertThat(share.get("path").asText()).isEqualTo(out.resolve("original.bin").toString());
        assertThat(Files.list(dir(d).resolve(FilesFeature.DOWNLOADS_DIR)).toList())
                .as("partial files are deleted once the file is in place").isEmpty();
    }

    @Test
    void sharingAMissingFileSaysSoAndExitsOne() throws Exception {
        ParleyNode a = start("a", List.of());
        Path missing = root.resolve("nothing-here.bin");

        CliRun run = CliRun.run(dir(a), "share", missing.toString());

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).startsWith("parley share: ").contains(missing.toString()).doesNotContain("Exception");
        assertThat(CliRun.json(dir(a), "transfers").get("transfers")).isEmpty();
    }

    @Test
    void aFileIsSharedOnceAndTheApiTakesOnlyAbsolutePaths() throws Exception {
        ParleyNode a = start("a", List.of());
        Path original = randomFile(root.resolve("once.bin"), 1 << 20);
        String fileId = CliRun.json(dir(a), "share", original.toString()).get("fileId").asText();

        CliRun again = CliRun.run(dir(a), "share", original.toString());
        assertThat(again.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(again.err()).isEqualTo("parley share: " + original + " is already shared as " + fileId
                + "; parley transfers shows its link" + System.lineSeparator());

        ApiClient api = ApiClient.forDataDir(new DataDir(dir(a)));
        assertThatThrownBy(() -> api.post(ApiPaths.FILES_SHARE, new ShareRequest("once.bin"), TransferAnswer.class))
                .isInstanceOf(CliException.class)
                .hasMessage("'path' must be an absolute path, got 'once.bin'");
        assertThatThrownBy(() -> api.post(ApiPaths.FILES_GET, new GetFileRequest("magnet:?xt=x", "out"),
                TransferAnswer.class))
                .isInstanceOf(CliException.class)
                .hasMessage("'out' must be an absolute path, got 'out'");
        assertThat(CliRun.json(dir(a), "transfers").get("transfers")).hasSize(1);
    }

    @Test
    void aBadLinkSaysWhichPartIsWrongAndExitsOne() throws Exception {
        ParleyNode a = start("a", List.of());

        CliRun run = CliRun.run(dir(a), "get", "magnet:?xt=urn:btih:abc", "--out", root.toString());

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).startsWith("parley get: bad link: ").doesNotContain("Exception");
        assertThat(CliRun.json(dir(a), "transfers").get("transfers")).isEmpty();
    }

    @Test
    void anUnwritableOutputDirSaysSoExitsOneAndWritesNothing() throws Exception {
        ParleyNode a = start("a", List.of());
        ParleyNode b = start("b", List.of(a.dialableAddresses().getFirst()));
        Path original = randomFile(root.resolve("small.bin"), 1 << 20);
        String link = CliRun.json(dir(a), "share", original.toString()).get("link").asText();
        Path readOnly = Files.createDirectories(root.resolve("read-only"));
        assertThat(readOnly.toFile().setWritable(false)).isTrue();
        // root writes anywhere: there the permission cannot make the directory unwritable.
        Assumptions.assumeFalse(Files.isWritable(readOnly), "running as root: a read-only directory is writable");
        try {
            CliRun run = CliRun.run(dir(b), "get", link, "--out", readOnly.toString(), "--wait");

            assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
            assertThat(run.err()).isEqualTo("parley get: cannot save to " + readOnly + ": it is not writable; choose"
                    + " another directory with --out" + System.lineSeparator());
            assertThat(Files.list(readOnly).toList()).isEmpty();
            assertThat(CliRun.json(dir(b), "transfers").get("transfers")).isEmpty();
        } finally {
            readOnly.toFile().setWritable(true);
        }
    }

    @Test
    void aFileAlreadyAtTheTargetIsLeftAloneAndTheGetRefused() throws Exception {
        ParleyNode a = start("a", List.of());
        ParleyNode b = start("b", List.of(a.dialableAddresses().getFirst()));
        Path original = randomFile(root.resolve("twice.bin"), 1 << 20);
        String link = CliRun.json(dir(a), "share", original.toString()).get("link").asText();
        Path out = Files.createDirectories(root.resolve("out-b"));
        Path there = Files.writeString(out.resolve("twice.bin"), "mine");

        CliRun run = CliRun.run(dir(b), "get", link, "--out", out.toString(), "--wait");

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).isEqualTo("parley get: " + there + " already exists; move it away or choose another"
                + " directory with --out" + System.lineSeparator());
        assertThat(Files.readString(there)).isEqualTo("mine");
    }

    @Test
    void aMissingOutputDirSaysSoAndExitsOne() throws Exception {
        ParleyNode a = start("a", List.of());
        Path original = randomFile(root.resolve("small.bin"), 1 << 20);
        String link = CliRun.json(dir(a), "share", original.toString()).get("link").asText();
        ParleyNode b = start("b", List.of(a.dialableAddresses().getFirst()));
        Path missing = root.resolve("no-such-dir");

        CliRun run = CliRun.run(dir(b), "get", link, "--out", missing.toString());

        assertThat(run.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(run.err()).contains("cannot save to " + missing + ": it is not a directory");
        assertThat(missing).doesNotExist();
    }

    @Test
    void aRestartKeepsSharesAndServesThemUnderTheSameId() throws Exception {
        ParleyNode a = start("a", List.of());
        Path original = randomFile(root.resolve("kept.bin"), 3 << 20);
        JsonNode shared = CliRun.json(dir(a), "share", original.toString());
        String fileId = shared.get("fileId").asText();
        a.close();
        nodes.remove(a);

        ParleyNode again = start("a", List.of());
        JsonNode share = awaitState(dir(again), fileId, "seeding");
        assertThat(share.get("path").asText()).isEqualTo(original.toString());
        assertThat(share.get("bytesTotal").asLong()).isEqualTo(3 << 20);

        ParleyNode b = start("b", List.of(again.dialableAddresses().getFirst()));
        Path out = Files.createDirectories(root.resolve("out-b"));
        CliRun got = CliRun.run(dir(b), "get", share.get("link").asText(), "--out", out.toString(), "--wait");
        assertThat(got.exit()).as(got.err()).isEqualTo(ExitCode.OK);
        assertThat(sha256(out.resolve("kept.bin"))).isEqualTo(sha256(original));

        CliRun unshared = CliRun.run(dir(again), "unshare", fileId);
        assertThat(unshared.exit()).as(unshared.err()).isEqualTo(ExitCode.OK);
        assertThat(CliRun.json(dir(again), "transfers").get("transfers")).isEmpty();
    }

    @Test
    void pauseResumeAndCancelActOnADownload() throws Exception {
        ParleyNode a = start("a", List.of());
        ParleyNode b = start("b", List.of(a.dialableAddresses().getFirst()));
        Path original = randomFile(root.resolve("ctl.bin"), 1 << 20);
        String link = CliRun.json(dir(a), "share", original.toString()).get("link").asText();
        String fileId = FileLink.parse(link).fileId().toString();

        CliRun unknown = CliRun.run(dir(b), "pause", fileId);
        assertThat(unknown.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(unknown.err()).contains("no download " + fileId);

        // The owner's own share is not downloaded again.
        CliRun own = CliRun.run(dir(a), "get", link, "--out", root.toString());
        assertThat(own.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(own.err()).contains("already shares");

        Path out = Files.createDirectories(root.resolve("out-b"));
        CliRun got = CliRun.run(dir(b), "get", link, "--out", out.toString(), "--wait");
        assertThat(got.exit()).as(got.err()).isEqualTo(ExitCode.OK);
        CliRun cancelDone = CliRun.run(dir(b), "cancel", fileId);
        assertThat(cancelDone.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(cancelDone.err()).contains("is done; there is nothing to cancel");
    }

    private JsonNode awaitState(Path dataDir, String fileId, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            for (JsonNode t : CliRun.json(dataDir, "transfers").get("transfers")) {
                if (t.get("fileId").asText().equals(fileId) && t.get("state").asText().equals(state)) {
                    return t;
                }
            }
            assertThat(System.nanoTime()).as(fileId + " reaches " + state).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Polls the DHT from {@code asker} until every one of {@code seeders} is a provider of {@code fileId}. */
    private static void awaitProviders(ParleyNode asker, FileId fileId, Set<ParleyNode> seeders) throws Exception {
        Set<String> wanted = seeders.stream().map(n -> n.host().peerId().toBase58()).collect(Collectors.toSet());
        long deadline = System.currentTimeMillis() + PROVIDERS_DEADLINE_MS;
        Set<String> found = Set.of();
        while (System.currentTimeMillis() < deadline) {
            // No event says "the DHT has stored my announcement"; polling the lookup is what a user would do.
            found = lookup(asker, fileId);
            if (found.containsAll(wanted)) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(found).as("providers of " + fileId).containsAll(wanted);
    }

    /** Asks the DHT through the CLI, as a user would: {@code parley dht providers <multihash>}. */
    private static Set<String> lookup(ParleyNode asker, FileId fileId) throws Exception {
        JsonNode answer = CliRun.json(dir(asker), "dht", "providers", Base58.encode(fileId.bytes()));
        Set<String> ids = new java.util.HashSet<>();
        answer.get("providers").forEach(p -> ids.add(p.get("peerId").asText()));
        return ids;
    }

    private ParleyNode start(String name, List<Multiaddr> bootstrap) throws IOException {
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(root.resolve("node-" + name)),
                List.of(LOOPBACK_RANDOM_PORT), bootstrap, 0, ModePolicy.SERVER));
        nodes.add(node);
        return node;
    }

    private static Path dir(ParleyNode node) {
        return node.settings().dataDir().root();
    }

    static Path randomFile(Path path, int size) throws IOException {
        Random random = new Random(size);
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(path)) {
            for (int written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, Math.min(block.length, size - written));
            }
        }
        return path;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
