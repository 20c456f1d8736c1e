package org.parley.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multistream.MultistreamSelect;
import org.parley.libp2p.noise.NoiseTransport;
import org.parley.libp2p.transport.tcp.TcpConnection;
import org.parley.libp2p.transport.tcp.TcpTransport;
import org.parley.libp2p.yamux.Yamux;
import org.slf4j.LoggerFactory;

/** Regression: every yamux protocol violation was logged as WARN three times; now once, and counted. */
class YamuxViolationLogTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

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
    void aYamuxViolationIsLoggedOnce() throws Exception {
        Host node = hosts.start();
        lines.start();
        root.addAppender(lines);
        root.setLevel(Level.INFO);

        try (TcpConnection raw = new TcpTransport().dial(node.listenAddresses().getFirst(), TIMEOUT)) {
            MultistreamSelect.select(raw, List.of(NoiseTransport.PROTOCOL_ID));
            SecureChannel channel = new NoiseTransport(Ed25519PrivateKey.generate())
                    .secureOutbound(raw, node.peerId(), List.of(Yamux.PROTOCOL_ID), TIMEOUT);
            if (channel.earlyMuxer() == null) {
                MultistreamSelect.select(channel, List.of(Yamux.PROTOCOL_ID));
            }
            // A DATA frame on stream 0, which is reserved for the session.
            channel.out().write(HexFormat.of().parseHex("000000000000000000000001"));
            channel.out().flush();
            channel.in().readAllBytes(); // the node's GO_AWAY, then the end of the connection
        } catch (java.io.IOException closed) {
            // The node hung up, as it should.
        }
        // The fault is counted before its line is written, on the node's thread: wait for both.
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while ((node.connectionStats().peerFaults() == 0 || loudLines().isEmpty()) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        Thread.sleep(200); // a second, wrong, line would come right after the first

        assertThat(node.connectionStats().peerFaults()).isEqualTo(1);
        assertThat(loudLines()).singleElement().asString().contains("broke the muxer protocol")
                .contains("stream 0, which is reserved for the session");
    }

    /** The lines at INFO or above so far, but the host's own start and close lines. */
    private List<String> loudLines() {
        synchronized (lines) { // the appender adds under its own lock, on the node's threads
            return lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> !m.contains("closed") && !m.contains("listening"))
                    .toList();
        }
    }
}
