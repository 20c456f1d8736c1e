package org.parley.libp2p.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Peer faults: a few WARN lines a minute, the rest counted, on a fake clock. */
class MisbehaviourLogTest {

    private final AtomicLong now = new AtomicLong();
    private final MisbehaviourLog faults = new MisbehaviourLog(now::get);
    private final Logger logger = (Logger) LoggerFactory.getLogger("org.parley.libp2p.peer-faults");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void logsTheFirstFaultsOfAWindowAndCountsTheRest() {
        for (int i = 0; i < 100; i++) {
            faults.report("peer {} broke the protocol", i);
        }

        assertThat(warnings()).hasSize(MisbehaviourLog.LINES_PER_WINDOW);
        assertThat(warnings().getFirst().getFormattedMessage()).isEqualTo("peer 0 broke the protocol");
        assertThat(faults.total()).isEqualTo(100);
    }

    @Test
    void theNextWindowsFirstLineSaysHowManyWereNotLogged() {
        for (int i = 0; i < MisbehaviourLog.LINES_PER_WINDOW + 25; i++) {
            faults.report("peer {} broke the protocol", i);
        }
        now.addAndGet(MisbehaviourLog.WINDOW.toNanos());

        assertThat(faults.report("peer {} broke the protocol", "late")).isTrue();

        assertThat(warnings().getLast().getFormattedMessage())
                .isEqualTo("peer late broke the protocol (25 more peer faults since the last such line were not logged)");
        assertThat(faults.report("peer {} broke the protocol", "next")).isTrue();
        assertThat(warnings().getLast().getFormattedMessage()).isEqualTo("peer next broke the protocol");
    }

    private java.util.List<ILoggingEvent> warnings() {
        return lines.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }
}
