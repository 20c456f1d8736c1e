package org.parley.node.config;

import java.time.Duration;
import java.util.List;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.node.nat.RelayServicePolicy;

/**
 * The settings that start a node, as given by one source (defaults, config file or command
 * line). A null field means "this source does not say"; {@link #overriddenBy} layers sources and
 * {@link #resolve} gives the effective settings. Immutable.
 *
 * <p>List settings are replaced, not merged: {@code --listen} on the command line replaces the
 * file's {@code listen} list.
 */
public record NodeConfig(List<String> listen, List<String> bootstrap, Integer apiPort, ModePolicy dhtMode,
        String passphraseFile, RelayServicePolicy relayService, List<String> stun, String unsafeVersions,
        String unsafeVersionsKey, Duration syncInterval, CoverTraffic coverTraffic) {

    /** TCP port 4001 on all IPv4 interfaces: a fixed port, so peers can keep our address. */
    public static final String DEFAULT_LISTEN = "/ip4/0.0.0.0/tcp/4001";
    /** The local API and web UI port; 0 would pick a random free port. */
    public static final int DEFAULT_API_PORT = 7701;
    /** The highest TCP port number. */
    public static final int MAX_PORT = 65535;

    public static final NodeConfig EMPTY =
            new NodeConfig(null, null, null, null, null, null, null, null, null, null, null);
    /** No STUN servers by default: ICE then asks no server anything, and only host candidates are offered. */
    public static final NodeConfig DEFAULTS =
            new NodeConfig(List.of(DEFAULT_LISTEN), List.of(), DEFAULT_API_PORT, ModePolicy.AUTO, null,
                    RelayServicePolicy.AUTO, List.of(), null, null, SyncInterval.DEFAULT, CoverTraffic.OFF);

    public NodeConfig {
        listen = listen == null ? null : List.copyOf(listen);
        bootstrap = bootstrap == null ? null : List.copyOf(bootstrap);
        stun = stun == null ? null : List.copyOf(stun);
        if (apiPort != null && (apiPort < 0 || apiPort > MAX_PORT)) {
            throw new IllegalArgumentException("API port " + apiPort + " is outside 0.." + MAX_PORT);
        }
        if (syncInterval != null) {
            SyncInterval.check(syncInterval);
        }
    }

    /**
     * Settings that leave the STUN servers, the unsafe-version list, the sync interval and cover
     * traffic to the other sources.
     */
    public NodeConfig(List<String> listen, List<String> bootstrap, Integer apiPort, ModePolicy dhtMode,
            String passphraseFile, RelayServicePolicy relayService) {
        this(listen, bootstrap, apiPort, dhtMode, passphraseFile, relayService, null, null, null, null, null);
    }

    /** Settings that leave the relay service to the other sources. */
    public NodeConfig(List<String> listen, List<String> bootstrap, Integer apiPort, ModePolicy dhtMode,
            String passphraseFile) {
        this(listen, bootstrap, apiPort, dhtMode, passphraseFile, null);
    }

    /** Settings without a passphrase file. */
    public NodeConfig(List<String> listen, List<String> bootstrap, Integer apiPort, ModePolicy dhtMode) {
        this(listen, bootstrap, apiPort, dhtMode, null);
    }

    /** These settings with every field that {@code higher} sets taken from {@code higher}. */
    public NodeConfig overriddenBy(NodeConfig higher) {
        return new NodeConfig(
                higher.listen != null ? higher.listen : listen,
                higher.bootstrap != null ? higher.bootstrap : bootstrap,
                higher.apiPort != null ? higher.apiPort : apiPort,
                higher.dhtMode != null ? higher.dhtMode : dhtMode,
                higher.passphraseFile != null ? higher.passphraseFile : passphraseFile,
                higher.relayService != null ? higher.relayService : relayService,
                higher.stun != null ? higher.stun : stun,
                higher.unsafeVersions != null ? higher.unsafeVersions : unsafeVersions,
                higher.unsafeVersionsKey != null ? higher.unsafeVersionsKey : unsafeVersionsKey,
                higher.syncInterval != null ? higher.syncInterval : syncInterval,
                higher.coverTraffic != null ? higher.coverTraffic : coverTraffic);
    }

    /** The effective settings: defaults, then the file, then the command line. */
    public static NodeConfig resolve(NodeConfig file, NodeConfig commandLine) {
        return DEFAULTS.overriddenBy(file).overriddenBy(commandLine);
    }
}
