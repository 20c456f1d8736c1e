package org.parley.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.node.nat.RelayServicePolicy;

class NodeConfigTest {

    @Test
    void defaultsApplyWhenNoSourceSaysAnything() {
        NodeConfig resolved = NodeConfig.resolve(NodeConfig.EMPTY, NodeConfig.EMPTY);

        assertThat(resolved).isEqualTo(new NodeConfig(
                List.of("/ip4/0.0.0.0/tcp/4001"), List.of(), 7701, ModePolicy.AUTO, null, RelayServicePolicy.AUTO,
                List.of(), null, null, java.time.Duration.ofMinutes(5), CoverTraffic.OFF));
    }

    @Test
    void stunServersOfTheCommandLineReplaceTheFilesAndNoneIsTheDefault() {
        NodeConfig file = new NodeConfig(null, null, null, null, null, null, List.of("stun:a.example:3478"), null, null, null, null);
        NodeConfig commandLine = new NodeConfig(null, null, null, null, null, null, List.of("stun:b.example:3478"), null, null, null, null);

        assertThat(NodeConfig.resolve(file, NodeConfig.EMPTY).stun()).containsExactly("stun:a.example:3478");
        assertThat(NodeConfig.resolve(file, commandLine).stun()).containsExactly("stun:b.example:3478");
        assertThat(NodeConfig.resolve(NodeConfig.EMPTY, NodeConfig.EMPTY).stun()).isEmpty();
    }

    @Test
    void commandLineRelayServiceOverridesTheFile() {
        NodeConfig file = new NodeConfig(null, null, null, null, null, RelayServicePolicy.ON);
        NodeConfig commandLine = new NodeConfig(null, null, null, null, null, RelayServicePolicy.OFF);

        assertThat(NodeConfig.resolve(file, NodeConfig.EMPTY).relayService()).isEqualTo(RelayServicePolicy.ON);
        assertThat(NodeConfig.resolve(file, commandLine).relayService()).isEqualTo(RelayServicePolicy.OFF);
    }

    @Test
    void fileOverridesDefaultsAndCommandLineOverridesFile() {
        NodeConfig file = new NodeConfig(List.of("/ip4/127.0.0.1/tcp/5000"), List.of("/ip4/10.0.0.1/tcp/4001/p2p/x"),
                8000, ModePolicy.CLIENT);
        NodeConfig commandLine = new NodeConfig(null, null, 9000, ModePolicy.SERVER);

        NodeConfig resolved = NodeConfig.resolve(file, commandLine);

        assertThat(resolved.listen()).containsExactly("/ip4/127.0.0.1/tcp/5000");
        assertThat(resolved.bootstrap()).containsExactly("/ip4/10.0.0.1/tcp/4001/p2p/x");
        assertThat(resolved.apiPort()).isEqualTo(9000);
        assertThat(resolved.dhtMode()).isEqualTo(ModePolicy.SERVER);
    }

    @Test
    void commandLineListReplacesTheFileListInsteadOfMerging() {
        NodeConfig file = new NodeConfig(List.of("/ip4/0.0.0.0/tcp/1", "/ip4/0.0.0.0/tcp/2"), null, null, null);
        NodeConfig commandLine = new NodeConfig(List.of("/ip4/127.0.0.1/tcp/3"), null, null, null);

        assertThat(NodeConfig.resolve(file, commandLine).listen()).containsExactly("/ip4/127.0.0.1/tcp/3");
    }

    @Test
    void anEmptyListIsASettingNotAnAbsence() {
        NodeConfig file = new NodeConfig(null, List.of("/ip4/10.0.0.1/tcp/4001/p2p/x"), null, null);
        NodeConfig commandLine = new NodeConfig(null, List.of(), null, null);

        assertThat(NodeConfig.resolve(file, commandLine).bootstrap()).isEmpty();
    }

    @Test
    void rejectsPortOutsideTheTcpRange() {
        assertThatThrownBy(() -> new NodeConfig(null, null, 70000, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("API port 70000 is outside 0..65535");
    }

    @Test
    void parsesDhtModeInAnyCaseAndNamesTheChoicesOtherwise() {
        assertThat(ModePolicy.parse("Server")).isEqualTo(ModePolicy.SERVER);
        assertThatThrownBy(() -> ModePolicy.parse("relay"))
                .hasMessage("unknown DHT mode 'relay'; expected one of auto, server, client");
    }
}
