package org.parley.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.routing.RoutingTableFile;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.util.StateFiles;
import org.slf4j.LoggerFactory;

/**
 * A whole node on a data dir whose routing-table file it cannot read. Regression: the node exited
 * with "is not a routing-table file" and, on the way out, replaced the file with an empty table.
 */
class UnreadableRoutingTableTest {

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger stateFilesLogger = (Logger) LoggerFactory.getLogger(StateFiles.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        stateFilesLogger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        stateFilesLogger.detachAppender(logs);
    }

    @Test
    void aTruncatedTableIsMovedAsideAndTheNodeStartsAnyway() throws IOException {
        DataDir dataDir = new DataDir(dir);
        dataDir.create();
        Path table = dataDir.dhtDir().resolve(RoutingTableFile.FILE_NAME);
        Files.write(table, new byte[0]);

        try (ParleyNode node = start(dataDir)) {
            assertThat(node.host().listenAddresses()).isNotEmpty();
        }

        assertThat(setAside(dataDir)).singleElement().satisfies(aside -> assertThat(aside).isEmptyFile());
        assertThat(logs.list).singleElement().satisfies(event -> assertThat(event.getLevel()).isEqualTo(Level.WARN));
        assertThat(RoutingTableFile.load(table)).isEmpty();
    }

    @Test
    void aNewerFormatSurvivesAStartOfThisVersionAndTheNextStartIsQuiet() throws IOException {
        DataDir dataDir = new DataDir(dir);
        dataDir.create();
        Path table = dataDir.dhtDir().resolve(RoutingTableFile.FILE_NAME);
        byte[] newer = LengthPrefixed.frame("parley-dht-routing-table/2".getBytes(StandardCharsets.US_ASCII));
        Files.write(table, newer);

        start(dataDir).close();
        start(dataDir).close();

        assertThat(setAside(dataDir)).singleElement().satisfies(aside -> assertThat(aside).hasBinaryContent(newer));
        assertThat(logs.list).hasSize(1);
    }

    private static ParleyNode start(DataDir dataDir) throws IOException {
        return ParleyNode.start(new NodeSettings(dataDir, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of(),
                0, ModePolicy.SERVER));
    }

    private static List<Path> setAside(DataDir dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.dhtDir())) {
            return files.filter(f -> f.getFileName().toString()
                    .startsWith(RoutingTableFile.FILE_NAME + StateFiles.UNREADABLE_SUFFIX)).toList();
        }
    }
}
