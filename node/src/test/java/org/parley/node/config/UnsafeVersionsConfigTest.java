package org.parley.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;

class UnsafeVersionsConfigTest {

    private final Ed25519PrivateKey maintainer = Ed25519PrivateKey.generate();
    private final String keyId = PeerId.fromPublicKey(maintainer.publicKey()).toBase58();

    @Test
    void theListAndItsPinnedKeyComeFromJsonAndProperties() throws Exception {
        NodeConfig json = ConfigFile.parseJson("{\"unsafeVersions\": \"https://example.org/u.json\","
                + " \"unsafeVersionsKey\": \"" + keyId + "\"}", "config.json");
        NodeConfig properties = ConfigFile.parseProperties("unsafeVersions=/etc/u.json\nunsafeVersionsKey=" + keyId,
                "config.properties");

        NodeSettings fromJson = NodeSettings.of(new DataDir(Path.of("d")), NodeConfig.resolve(json, NodeConfig.EMPTY));
        NodeSettings fromProperties = NodeSettings.of(new DataDir(Path.of("d")),
                NodeConfig.resolve(properties, NodeConfig.EMPTY));

        assertThat(fromJson.unsafeVersions().location()).isEqualTo("https://example.org/u.json");
        assertThat(fromJson.unsafeVersions().key()).isEqualTo(maintainer.publicKey());
        assertThat(fromProperties.unsafeVersions().location()).isEqualTo("/etc/u.json");
        assertThat(NodeSettings.of(new DataDir(Path.of("d")), NodeConfig.DEFAULTS).unsafeVersions()).isNull();
    }

    @Test
    void aListWithoutAKeyOrABadKeyStopsTheStartWithWhatToFix() throws Exception {
        NodeConfig noKey = ConfigFile.parseJson("{\"unsafeVersions\": \"/etc/u.json\"}", "config.json");
        NodeConfig badKey = ConfigFile.parseJson("{\"unsafeVersions\": \"/etc/u.json\", \"unsafeVersionsKey\": \"abc\"}",
                "config.json");

        assertThatThrownBy(() -> NodeSettings.of(new DataDir(Path.of("d")), NodeConfig.resolve(noKey, NodeConfig.EMPTY)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs unsafeVersionsKey");
        assertThatThrownBy(() -> NodeSettings.of(new DataDir(Path.of("d")), NodeConfig.resolve(badKey, NodeConfig.EMPTY)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("12D3KooW");
    }
}
