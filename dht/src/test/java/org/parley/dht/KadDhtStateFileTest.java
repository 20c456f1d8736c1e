package org.parley.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.routing.RoutingTableFile;
import org.parley.dht.testing.SimNodes;
import org.parley.dht.testing.TestPeers;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.util.StateFiles;
import org.slf4j.LoggerFactory;

/**
 * The routing-table file across failed and successful starts. Regression: a file the node did not
 * recognise made start fail, and close() then saved the empty table over it.
 */
class KadDhtStateFileTest {

    @TempDir
    Path dir;

    private final SimNodes net = SimNodes.create(10, 4, SimNodes.testConfig());
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
    void anEmptyFileIsMovedAsideWithOneWarningAndTheNodeStartsWithAnEmptyTable() throws IOException {
        Files.write(table(), new byte[0]);

        KadDht node = net.add(SimNodes.testConfig(), dir);

        assertThat(node.routingTable().size()).isZero();
        assertThat(setAside()).singleElement().satisfies(aside -> assertThat(aside).isEmptyFile());
        assertThat(logs.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains("it is empty");
        });
        node.bootstrap(List.of(net.refs.get(0)));
        node.close();
        assertThat(RoutingTableFile.load(table())).isNotEmpty();
        assertThat(setAside()).hasSize(1);
    }

    @Test
    void garbageIsMovedAsideByteForByte() throws IOException {
        byte[] garbage = "not a routing table at all".getBytes(StandardCharsets.US_ASCII);
        Files.write(table(), garbage);

        KadDht node = net.add(SimNodes.testConfig(), dir);
        node.close();

        assertThat(setAside()).singleElement().satisfies(aside -> assertThat(aside).hasBinaryContent(garbage));
        assertThat(RoutingTableFile.load(table())).isEmpty();
        assertThat(logs.list).hasSize(1);
    }

    @Test
    void aNewerFormatIsKeptForTheNewerVersionAndThisOneStartsEmpty() throws IOException {
        byte[] newer = concat(LengthPrefixed.frame("parley-dht-routing-table/2".getBytes(StandardCharsets.US_ASCII)),
                LengthPrefixed.frame(new byte[] {1, 2, 3}));
        Files.write(table(), newer);

        KadDht node = net.add(SimNodes.testConfig(), dir);
        node.bootstrap(List.of(net.refs.get(0)));
        node.close();

        assertThat(setAside()).singleElement().satisfies(aside -> assertThat(aside).hasBinaryContent(newer));
        assertThat(logs.list).singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage()).contains("probably from a newer Parley"));
        assertThat(RoutingTableFile.load(table())).isNotEmpty();
    }

    @Test
    void aFailedStartWritesNothingWhenClosed() throws IOException {
        byte[] garbage = {9, 9, 9};
        Files.write(table(), garbage);
        // Every set-aside name is taken, so the file cannot be moved and start must fail.
        for (int i = 0; i < StateFiles.MAX_NAME_ATTEMPTS; i++) {
            String suffix = i == 0 ? "" : "-" + i;
            Files.write(dir.resolve(RoutingTableFile.FILE_NAME + StateFiles.UNREADABLE_SUFFIX
                    + "20250101T000000Z" + suffix), new byte[0]);
        }
        PeerRef self = new TestPeers(77).peer();
        KadDht node = KadDht.builder(self.id(), net.network.attach(self)).config(SimNodes.testConfig())
                .clock(net.clock).dataDir(dir).build();
        assertThat(net.clock.instant().toString()).isEqualTo("2025-01-01T00:00:00Z");

        assertThatIOException().isThrownBy(node::start).withMessageContaining("cannot move the unreadable");
        node.peerIdentified(net.refs.get(1), true);
        node.maintain();
        node.close();

        assertThat(table()).hasBinaryContent(garbage);
        assertThat(dir.resolve(RoutingTableFile.FILE_NAME + ".tmp")).doesNotExist();
    }

    private Path table() {
        return dir.resolve(RoutingTableFile.FILE_NAME);
    }

    private List<Path> setAside() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files
                    .filter(f -> f.getFileName().toString().startsWith(RoutingTableFile.FILE_NAME + StateFiles.UNREADABLE_SUFFIX))
                    .toList());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
