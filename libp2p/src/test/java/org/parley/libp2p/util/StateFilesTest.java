package org.parley.libp2p.util;

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
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class StateFilesTest {

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-12-03T18:04:05Z"));

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(StateFiles.class);

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
    void movesTheFileAsideUnderItsNameAndTheUtcTimeKeepingEveryByte() throws IOException {
        Path file = dir.resolve("table");
        Files.writeString(file, "parley-dht-routing-table/2 whatever", StandardCharsets.US_ASCII);

        Path aside = StateFiles.moveAside(new UnreadableStateFileException(file, "it is from a newer Parley"),
                "DHT routing table", CLOCK);

        assertThat(aside).isEqualTo(dir.resolve("table.unreadable-20261203T180405Z"));
        assertThat(file).doesNotExist();
        assertThat(Files.readString(aside, StandardCharsets.US_ASCII)).isEqualTo("parley-dht-routing-table/2 whatever");
        assertThat(logs.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains("it is from a newer Parley", "table.unreadable-20261203T180405Z");
        });
    }

    @Test
    void neverOverwritesAnEarlierSetAsideFile() throws IOException {
        Path file = dir.resolve("table");
        Files.writeString(file, "first");
        Path first = StateFiles.moveAside(new UnreadableStateFileException(file, "it is empty"), "table", CLOCK);
        Files.writeString(file, "second");
        Path second = StateFiles.moveAside(new UnreadableStateFileException(file, "it is empty"), "table", CLOCK);

        assertThat(second).isEqualTo(dir.resolve("table.unreadable-20261203T180405Z-1"));
        assertThat(Files.readString(first)).isEqualTo("first");
        assertThat(Files.readString(second)).isEqualTo("second");
        assertThat(logs.list).hasSize(2);
    }

    @Test
    void failsWithoutTouchingTheFileWhenEverySetAsideNameIsTaken() throws IOException {
        Path file = dir.resolve("table");
        Files.writeString(file, "keep me");
        String base = "table" + StateFiles.UNREADABLE_SUFFIX + "20261203T180405Z";
        Files.writeString(dir.resolve(base), "");
        for (int i = 1; i < StateFiles.MAX_NAME_ATTEMPTS; i++) {
            Files.writeString(dir.resolve(base + "-" + i), "");
        }

        assertThatIOException()
                .isThrownBy(() -> StateFiles.moveAside(new UnreadableStateFileException(file, "x"), "table", CLOCK))
                .withMessageContaining("remove old table.unreadable-* files");
        assertThat(Files.readString(file)).isEqualTo("keep me");
    }
}
