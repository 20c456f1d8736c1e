package org.parley.node.versions;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.slf4j.LoggerFactory;

class UnsafeVersionsTest {

    private static final String LIST = "{\"entries\": [{\"name\": \"parley\", \"reason\": \"test build\"}]}";

    @TempDir
    Path dir;

    private final Ed25519PrivateKey maintainer = Ed25519PrivateKey.generate();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(UnsafeVersions.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    @Test
    void aSignedListFromAFileIsInForce() throws Exception {
        Path file = Files.writeString(dir.resolve("unsafe.json"), SignedVersionList.sign(LIST, maintainer));
        UnsafeVersions versions = new UnsafeVersions();

        assertThat(versions.load(new UnsafeVersionSource(file.toString(), maintainer.publicKey()))).isTrue();

        assertThat(versions.list().flagging("parley/0.1.0")).isPresent();
    }

    @Test
    void aSignedListFromAUrlIsInForce() throws Exception {
        byte[] body = SignedVersionList.sign(LIST, maintainer).getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/unsafe.json", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            UnsafeVersions versions = new UnsafeVersions();
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/unsafe.json";

            assertThat(versions.load(new UnsafeVersionSource(url, maintainer.publicKey()))).isTrue();

            assertThat(versions.list().flagging("parley/9.9.9")).isPresent();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aListWithABadSignatureIsIgnoredWithOneLogLine() throws Exception {
        Path file = Files.writeString(dir.resolve("unsafe.json"),
                SignedVersionList.sign(LIST, Ed25519PrivateKey.generate()));
        UnsafeVersions versions = new UnsafeVersions();

        assertThat(versions.load(new UnsafeVersionSource(file.toString(), maintainer.publicKey()))).isFalse();

        assertThat(versions.list().flagging("parley/0.1.0")).isEmpty();
        assertThat(logs.list).hasSize(1);
        assertThat(logs.list.getFirst().getLevel()).isEqualTo(Level.WARN);
        assertThat(logs.list.getFirst().getFormattedMessage()).contains(file.toString())
                .contains("ignored").contains("signature does not match the pinned key");
    }

    @Test
    void aLaterListWithABadSignatureLeavesTheLastGoodOneInForce() throws Exception {
        Path file = dir.resolve("unsafe.json");
        UnsafeVersionSource source = new UnsafeVersionSource(file.toString(), maintainer.publicKey());
        UnsafeVersions versions = new UnsafeVersions();
        Files.writeString(file, SignedVersionList.sign(LIST, maintainer));
        assertThat(versions.load(source)).isTrue();

        Files.writeString(file, SignedVersionList.sign("{\"entries\": []}", Ed25519PrivateKey.generate()));

        assertThat(versions.load(source)).isFalse();
        assertThat(versions.list().flagging("parley/0.1.0")).as("the forged empty list lifted nothing").isPresent();
        assertThat(logs.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("signature does not match");
    }

    @Test
    void keepLoadedReadsTheListAtOnceInTheBackground() throws Exception {
        Path file = Files.writeString(dir.resolve("unsafe.json"), SignedVersionList.sign(LIST, maintainer));
        UnsafeVersions versions = new UnsafeVersions();

        try (AutoCloseable reloading = versions.keepLoaded(new UnsafeVersionSource(file.toString(),
                maintainer.publicKey()))) {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (versions.list().entries().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        assertThat(versions.list().flagging("parley/0.1.0")).isPresent();
    }

    @Test
    void aMissingOrOversizedFileIsIgnoredWithOneLogLineEach() throws Exception {
        UnsafeVersions versions = new UnsafeVersions();
        Path huge = dir.resolve("huge.json");
        Files.write(huge, new byte[UnsafeVersions.MAX_FILE_BYTES + 1]);

        assertThat(versions.load(new UnsafeVersionSource(dir.resolve("absent.json").toString(),
                maintainer.publicKey()))).isFalse();
        assertThat(versions.load(new UnsafeVersionSource(huge.toString(), maintainer.publicKey()))).isFalse();

        assertThat(versions.list().entries()).isEmpty();
        assertThat(logs.list).hasSize(2);
        assertThat(logs.list.get(0).getFormattedMessage()).contains("no such file");
        assertThat(logs.list.get(1).getFormattedMessage()).contains("over " + UnsafeVersions.MAX_FILE_BYTES + " bytes");
    }
}
