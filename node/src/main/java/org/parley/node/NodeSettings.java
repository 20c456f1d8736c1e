package org.parley.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.dnsaddr.DnsaddrResolver;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.multiaddr.InvalidMultiaddrException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.transport.webrtc.WebRtcConfig;
import org.parley.node.config.ConfigException;
import org.parley.node.config.CoverTraffic;
import org.parley.node.config.NodeConfig;
import org.parley.node.config.SyncInterval;
import org.parley.node.nat.RelayServicePolicy;
import org.parley.node.versions.UnsafeVersionSource;

/**
 * Everything a node needs to start, checked and parsed: the data dir and the effective
 * settings from defaults, config file and command line ({@code unsafeVersions} null when no
 * unsafe-version list is configured). Immutable.
 *
 * @param stun the STUN servers WebRTC asks ({@code stun:HOST:PORT}); none by default
 */
public record NodeSettings(DataDir dataDir, List<Multiaddr> listen, List<Multiaddr> bootstrap, int apiPort,
        ModePolicy dhtMode, Path passphraseFile, RelayServicePolicy relayService, List<String> stun,
        UnsafeVersionSource unsafeVersions, Duration syncInterval, CoverTraffic coverTraffic) {

    public NodeSettings {
        listen = List.copyOf(listen);
        bootstrap = List.copyOf(bootstrap);
        relayService = relayService == null ? RelayServicePolicy.AUTO : relayService;
        stun = stun == null ? List.of() : List.copyOf(stun);
        syncInterval = syncInterval == null ? SyncInterval.DEFAULT : syncInterval;
        coverTraffic = coverTraffic == null ? CoverTraffic.OFF : coverTraffic;
    }

    /**
     * Settings without STUN servers, an unsafe-version list or cover traffic, with the default sync
     * interval.
     */
    public NodeSettings(DataDir dataDir, List<Multiaddr> listen, List<Multiaddr> bootstrap, int apiPort,
            ModePolicy dhtMode, Path passphraseFile, RelayServicePolicy relayService) {
        this(dataDir, listen, bootstrap, apiPort, dhtMode, passphraseFile, relayService, List.of(), null, null,
                CoverTraffic.OFF);
    }

    /** Settings whose relay service follows AutoNAT ({@link RelayServicePolicy#AUTO}). */
    public NodeSettings(DataDir dataDir, List<Multiaddr> listen, List<Multiaddr> bootstrap, int apiPort,
            ModePolicy dhtMode, Path passphraseFile) {
        this(dataDir, listen, bootstrap, apiPort, dhtMode, passphraseFile, RelayServicePolicy.AUTO);
    }

    /** Settings without a passphrase file: a wrapped storage.key is then asked for at the terminal. */
    public NodeSettings(DataDir dataDir, List<Multiaddr> listen, List<Multiaddr> bootstrap, int apiPort,
            ModePolicy dhtMode) {
        this(dataDir, listen, bootstrap, apiPort, dhtMode, null);
    }

    /** These settings with cover traffic as {@code cover} says. */
    public NodeSettings withCoverTraffic(CoverTraffic cover) {
        return new NodeSettings(dataDir, listen, bootstrap, apiPort, dhtMode, passphraseFile, relayService, stun,
                unsafeVersions, syncInterval, cover);
    }

    /** These settings with the API on {@code port} (a restarted node keeps the port the page and CLI reach). */
    public NodeSettings withApiPort(int port) {
        return new NodeSettings(dataDir, listen, bootstrap, port, dhtMode, passphraseFile, relayService, stun,
                unsafeVersions, syncInterval, coverTraffic);
    }

    /** These settings with the unsafe-version list from {@code source}. */
    public NodeSettings withUnsafeVersions(UnsafeVersionSource source) {
        return new NodeSettings(dataDir, listen, bootstrap, apiPort, dhtMode, passphraseFile, relayService, stun,
                source, syncInterval, coverTraffic);
    }

    /**
     * Parses the multiaddrs of a resolved {@link NodeConfig}.
     *
     * @throws ConfigException naming the bad address and the setting it came from
     */
    public static NodeSettings of(DataDir dataDir, NodeConfig resolved) throws ConfigException {
        List<Multiaddr> listen = parseAll(resolved.listen(), "listen");
        for (Multiaddr address : listen) {
            if (address.peerId() != null) {
                throw new ConfigException("listen address " + address + " must not name a peer (/p2p/...):"
                        + " the node's PeerId comes from its key");
            }
        }
        List<Multiaddr> bootstrap = parseAll(resolved.bootstrap(), "bootstrap");
        for (Multiaddr address : bootstrap) {
            if (address.peerId() == null) {
                throw new ConfigException("bootstrap address " + address + " must end in /p2p/<PeerId>, so the node"
                        + " can check whom it reached; copy the full 'listen:' line the other node printed");
            }
            if (DnsaddrResolver.isDnsaddr(address) && address.components().size() != 2) {
                throw new ConfigException("bootstrap address " + address + " must be /dnsaddr/<host>/p2p/<PeerId>:"
                        + " the DNS records name the transport, so nothing goes between the host and /p2p/");
            }
        }
        Path passphraseFile = resolved.passphraseFile() == null ? null : Path.of(resolved.passphraseFile());
        List<String> stun = resolved.stun() == null ? List.of() : resolved.stun();
        try {
            WebRtcConfig.defaults().withStunServers(stun);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad --stun or 'stun' setting: " + e.getMessage(), e);
        }
        UnsafeVersionSource unsafeVersions;
        try {
            unsafeVersions = UnsafeVersionSource.of(resolved.unsafeVersions(), resolved.unsafeVersionsKey());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        return new NodeSettings(dataDir, listen, bootstrap, resolved.apiPort(), resolved.dhtMode(), passphraseFile,
                resolved.relayService(), stun, unsafeVersions, resolved.syncInterval(), resolved.coverTraffic());
    }

    private static List<Multiaddr> parseAll(List<String> texts, String setting) throws ConfigException {
        List<Multiaddr> parsed = new ArrayList<>(texts.size());
        for (String text : texts) {
            try {
                parsed.add(Multiaddr.parse(text));
            } catch (InvalidMultiaddrException e) {
                throw new ConfigException("bad " + setting + " address '" + text + "': " + e.getMessage(), e);
            }
        }
        return parsed;
    }
}
