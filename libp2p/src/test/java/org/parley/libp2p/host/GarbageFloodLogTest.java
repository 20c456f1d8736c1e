package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Regression: every garbage connection was logged at INFO and every yamux violation three times
 * at WARN, so a 40 s connection flood wrote about 110 MB of log. Now a few lines a minute are
 * logged and the rest counted.
 */
class GarbageFloodLogTest {

    private static final int GARBAGE_CONNECTIONS = 60;
    /** The WARN lines a minute allowed for peer faults ({@code MisbehaviourLog.LINES_PER_WINDOW}). */
    private static final int LINES_PER_MINUTE = 10;

    private final TestHosts hosts = new TestHosts();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Level rootLevel = root.getLevel();

    @AfterEach
    void release() {
        root.detachAppender(lines);
        root.setLevel(rootLevel);
        hosts.close();
    }

    @Test
    void aFloodOfGarbageConnectionsLogsAFewLinesAndCountsTheRest() throws Exception {
        Host node = hosts.start();
        lines.start();
        root.addAppender(lines);
        root.setLevel(Level.INFO); // the test configuration hides INFO, which the flood used to fill

        for (int i = 0; i < GARBAGE_CONNECTIONS; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(node.listenAddresses().getFirst().toTcpSocketAddress());
                OutputStream out = socket.getOutputStream();
                out.write("\u0013GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                socket.getInputStream().readAllBytes(); // until the node closes it
            } catch (IOException closedOrReset) {
                // The node hung up on us, as it should.
            }
        }
        awaitFaults(node, GARBAGE_CONNECTIONS);

        List<ILoggingEvent> loud = lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).toList();
        assertThat(loud).hasSizeLessThanOrEqualTo(LINES_PER_MINUTE);
        ConnectionStats stats = node.connectionStats();
        assertThat(stats.peerFaults()).isGreaterThan(2L * LINES_PER_MINUTE);
        assertThat(handled(stats)).as("%s", stats).isEqualTo(GARBAGE_CONNECTIONS);
    }

    /**
     * Garbage connections the node counted: as faults, or refused because earlier ones from our
     * address were still finishing their failed upgrade.
     */
    private static long handled(ConnectionStats stats) {
        return stats.peerFaults() + stats.refused(ConnectionStats.Refusal.HANDSHAKES_PER_IP);
    }

    private static void awaitFaults(Host node, int count) throws InterruptedException {
        long end = System.nanoTime() + TestHosts.WAIT.toNanos();
        while (handled(node.connectionStats()) < count && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }
}
