package org.parley.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SyncIntervalTest {

    @Test
    void readsSecondsMinutesHoursAndBareSeconds() {
        assertThat(SyncInterval.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(SyncInterval.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(SyncInterval.parse(" 1H ")).isEqualTo(Duration.ofHours(1));
        assertThat(SyncInterval.parse("90")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void refusesOtherFormsWithWhatItAccepts() {
        assertThatThrownBy(() -> SyncInterval.parse("5 minutes"))
                .hasMessage("'syncInterval' must be a number with s, m or h, like \"5m\"; got '5 minutes'");
    }

    @Test
    void refusesIntervalsOutsideItsBounds() {
        assertThatThrownBy(() -> SyncInterval.parse("1s")).hasMessage("'syncInterval' 1s is outside 10s..24h");
        assertThatThrownBy(() -> SyncInterval.parse("25h")).hasMessage("'syncInterval' 25h is outside 10s..24h");
    }

    @Test
    void theConfigFileSetsItAndTheDefaultIsFiveMinutes() throws Exception {
        assertThat(ConfigFile.parseJson("{\"syncInterval\": \"2m\"}", "config.json").syncInterval())
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(ConfigFile.parseJson("{\"syncInterval\": 45}", "config.json").syncInterval())
                .isEqualTo(Duration.ofSeconds(45));
        assertThat(ConfigFile.parseProperties("syncInterval=1h", "parley.properties").syncInterval())
                .isEqualTo(Duration.ofHours(1));
        assertThat(NodeConfig.resolve(NodeConfig.EMPTY, NodeConfig.EMPTY).syncInterval())
                .isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> ConfigFile.parseJson("{\"syncInterval\": \"soon\"}", "config.json"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.json: 'syncInterval' must be a number with s, m or h, like \"5m\"; got 'soon'");
    }
}
