package org.parley.files.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.parley.files.crypto.FileKey;
import org.parley.files.link.FileLink;
import org.parley.files.manifest.FileId;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * A standard magnet parser, npm {@code magnet-uri} (pinned in scripts/interop), reads the xt, dn, xl
 * and x.pe of a Parley link as Parley wrote them.
 */
@Tag("interop")
class MagnetUriInteropTest {

    private static final String SCRIPT = """
            import magnet from 'magnet-uri';
            let input = '';
            process.stdin.on('data', d => input += d);
            process.stdin.on('end', () => {
              const parsed = magnet(input.trim());
              process.stdout.write(JSON.stringify({
                xt: parsed.xt, dn: parsed.dn, xl: parsed.xl, peerAddresses: parsed.peerAddresses, key: parsed['x.key']
              }));
            });
            """;

    @Test
    void npmMagnetUriReadsXtDnXlAndPeerHints() throws Exception {
        Path dir = interopDir();
        PeerId peer = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        List<Multiaddr> hints = List.of(
                Multiaddr.parse("/ip4/192.0.2.7/tcp/4001/p2p/" + peer),
                Multiaddr.parse("/ip6/2001:db8::1/tcp/4001/p2p/" + peer));
        FileId id = FileId.ofManifest("a manifest".getBytes(StandardCharsets.UTF_8));
        FileLink link = new FileLink(id, "Summer trip 2026 (final).mp4", 3_221_225_472L, hints, FileKey.generate());

        JsonNode parsed = runMagnetUri(dir, link.toUri());

        assertThat(parsed.get("xt").asText()).isEqualTo("urn:parley:" + id);
        assertThat(parsed.get("dn").asText()).isEqualTo("Summer trip 2026 (final).mp4");
        assertThat(parsed.get("xl").asText()).isEqualTo("3221225472");
        List<String> peers = new ArrayList<>();
        parsed.get("peerAddresses").forEach(p -> peers.add(p.asText()));
        assertThat(peers).containsExactly(hints.get(0).toString(), hints.get(1).toString());
        assertThat(parsed.get("key").asText()).startsWith("b");
    }

    private static JsonNode runMagnetUri(Path dir, String uri) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("node", "--input-type=module", "-e", SCRIPT)
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(uri.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("node exits").isTrue();
        assertThat(process.exitValue()).as("node exit code").isZero();
        return new ObjectMapper().readTree(out);
    }

    /** scripts/interop of the enclosing repository; aborts (or fails under CI) when its npm packages are missing. */
    private static Path interopDir() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("scripts/interop");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                boolean installed = Files.isDirectory(candidate.resolve("node_modules/magnet-uri"));
                String message = candidate.resolve("node_modules/magnet-uri") + " is missing: run scripts/interop/install.sh";
                if (!installed && System.getenv("CI") != null) {
                    throw new IllegalStateException(message + " (CI is set, so this is a failure, not a skip)");
                }
                Assumptions.assumeTrue(installed, message);
                return candidate;
            }
        }
        throw new IllegalStateException("no scripts/interop above " + Path.of("").toAbsolutePath());
    }
}
