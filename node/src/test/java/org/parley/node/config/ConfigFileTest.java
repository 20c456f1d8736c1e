package org.parley.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.node.nat.RelayServicePolicy;

class ConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void readsEverySettingFromJson() throws Exception {
        Path file = write("config.json", """
                {"listen": ["/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001"],
                 "bootstrap": ["/ip4/10.0.0.1/tcp/4001/p2p/12D3KooWA"],
                 "apiPort": 7800, "dhtMode": "client"}
                """);

        NodeConfig config = ConfigFile.read(file);

        assertThat(config.listen()).containsExactly("/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001");
        assertThat(config.bootstrap()).containsExactly("/ip4/10.0.0.1/tcp/4001/p2p/12D3KooWA");
        assertThat(config.apiPort()).isEqualTo(7800);
        assertThat(config.dhtMode()).isEqualTo(ModePolicy.CLIENT);
    }

    /** Regression: binary garbage in config.json gave "Input length = 1". */
    @Test
    void refusesAFileThatIsNotTextWithAMessageSayingWhatToDo() throws Exception {
        Path file = dir.resolve("config.json");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0x81, 0x7b});

        assertThatThrownBy(() -> ConfigFile.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + file + " is not UTF-8 text, so it is no settings file; write it as"
                        + " JSON like {\"apiPort\": 7701}, or delete it to use the defaults");
    }

    @Test
    void leavesUnsetJsonSettingsNull() throws Exception {
        NodeConfig config = ConfigFile.read(write("config.json", "{\"apiPort\": 0}"));

        assertThat(config).isEqualTo(new NodeConfig(null, null, 0, null));
    }

    @Test
    void readsPropertiesWithCommaOrSpaceSeparatedLists() throws Exception {
        Path file = write("parley.properties", """
                listen=/ip4/127.0.0.1/tcp/4001, /ip4/127.0.0.1/tcp/4002
                bootstrap=
                apiPort=7702
                dhtMode=SERVER
                """);

        NodeConfig config = ConfigFile.read(file);

        assertThat(config.listen()).containsExactly("/ip4/127.0.0.1/tcp/4001", "/ip4/127.0.0.1/tcp/4002");
        assertThat(config.bootstrap()).isEmpty();
        assertThat(config.apiPort()).isEqualTo(7702);
        assertThat(config.dhtMode()).isEqualTo(ModePolicy.SERVER);
    }

    @Test
    void refusesAMisspeltSetting() throws Exception {
        Path file = write("config.json", "{\"listn\": []}");

        assertThatThrownBy(() -> ConfigFile.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": unknown setting 'listn'; known settings: listen, bootstrap, apiPort, dhtMode,"
                        + " passphraseFile, relayService, stun, unsafeVersions, unsafeVersionsKey, syncInterval, coverTraffic");
    }

    @Test
    void readsStunServersFromJsonAndProperties() throws Exception {
        NodeConfig json = ConfigFile.read(write("config.json",
                "{\"stun\": [\"stun:stun.example.org:3478\", \"stun:10.0.0.1:3478\"]}"));
        NodeConfig properties = ConfigFile.read(write("parley.properties", "stun=stun:stun.example.org:3478"));

        assertThat(json.stun()).containsExactly("stun:stun.example.org:3478", "stun:10.0.0.1:3478");
        assertThat(properties.stun()).containsExactly("stun:stun.example.org:3478");
        assertThat(ConfigFile.read(write("empty.json", "{}")).stun()).isNull();
    }

    @Test
    void readsCoverTrafficAsOffOnOrARateAndRefusesAnythingElse() throws Exception {
        assertThat(ConfigFile.read(write("a.json", "{\"coverTraffic\": \"off\"}")).coverTraffic())
                .isEqualTo(CoverTraffic.OFF);
        assertThat(ConfigFile.read(write("b.json", "{\"coverTraffic\": \"on\"}")).coverTraffic())
                .isEqualTo(new CoverTraffic(CoverTraffic.DEFAULT_PER_MINUTE));
        assertThat(ConfigFile.read(write("c.json", "{\"coverTraffic\": 30}")).coverTraffic().interval())
                .isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(ConfigFile.read(write("d.properties", "coverTraffic=on\n")).coverTraffic().perMinute())
                .isEqualTo(CoverTraffic.DEFAULT_PER_MINUTE);
        assertThat(ConfigFile.read(write("e.json", "{}")).coverTraffic()).isNull();
        assertThat(NodeConfig.resolve(NodeConfig.EMPTY, NodeConfig.EMPTY).coverTraffic().enabled()).isFalse();
        Path tooFast = write("f.json", "{\"coverTraffic\": 601}");
        assertThatThrownBy(() -> ConfigFile.read(tooFast)).isInstanceOf(ConfigException.class)
                .hasMessage(tooFast + ": coverTraffic of 601 envelopes a minute is outside 0..600; write \"off\","
                        + " \"on\" (6 a minute) or a number of envelopes a minute");
        Path word = write("g.json", "{\"coverTraffic\": \"sometimes\"}");
        assertThatThrownBy(() -> ConfigFile.read(word)).isInstanceOf(ConfigException.class)
                .hasMessage(word + ": coverTraffic 'sometimes' is not \"off\", \"on\" or a number of envelopes a"
                        + " minute (1..600)");
    }

    @Test
    void refusesAPortThatIsNotANumber() throws Exception {
        Path file = write("config.json", "{\"apiPort\": \"7701\"}");

        assertThatThrownBy(() -> ConfigFile.read(file))
                .hasMessage(file + ": 'apiPort' must be a port number, got \"7701\"");
    }

    @Test
    void readsTheRelayServiceFromJsonAndProperties() throws Exception {
        assertThat(ConfigFile.read(write("config.json", "{\"relayService\": \"off\"}")).relayService())
                .isEqualTo(RelayServicePolicy.OFF);
        assertThat(ConfigFile.read(write("parley.properties", "relayService=ON\n")).relayService())
                .isEqualTo(RelayServicePolicy.ON);
        assertThat(ConfigFile.read(write("other.json", "{}")).relayService()).isNull();
    }

    @Test
    void refusesAnUnknownRelayService() throws Exception {
        Path file = write("config.json", "{\"relayService\": \"sometimes\"}");

        assertThatThrownBy(() -> ConfigFile.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": relay service must be on, off or auto, not 'sometimes'");
    }

    @Test
    void refusesAnUnknownDhtMode() throws Exception {
        Path file = write("config.properties", "dhtMode=sometimes\n");

        assertThatThrownBy(() -> ConfigFile.read(file))
                .hasMessage(file + ": unknown DHT mode 'sometimes'; expected one of auto, server, client");
    }

    @Test
    void saysWhereTheJsonIsBroken() throws Exception {
        Path file = write("config.json", "{\n  \"listen\": [,]\n}");

        assertThatThrownBy(() -> ConfigFile.read(file))
                .hasMessageStartingWith(file + " is not valid JSON: ")
                .hasMessageEndingWith("at line 2, column 14");
    }

    @Test
    void aNamedFileMustExistButTheDefaultOneMayNot() {
        Path missing = dir.resolve("nope.json");

        assertThatThrownBy(() -> ConfigFile.read(missing)).hasMessage("config file " + missing + " does not exist");
        assertThat(catchConfig(missing)).isEqualTo(NodeConfig.EMPTY);
    }

    private static NodeConfig catchConfig(Path file) {
        try {
            return ConfigFile.readIfPresent(file);
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
