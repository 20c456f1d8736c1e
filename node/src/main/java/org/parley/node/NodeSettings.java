package org.parley.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.dnsaddr.DnsaddrResolver;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.multiaddr.InvalidMultiaddrException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.config.ConfigException;
import org.parley.node.config.CoverTraffic;
import org.parley.node.config.NodeConfig;
import org.parley.node.nat.RelayServicePolicy;

/**
 * Everything a node needs to start, checked and parsed: the data dir and the effective
 * settings from defaults, config file and command line. Immutable.
 */
public record NodeSettings(DataDir dataDir, List<Multiaddr> listen, List<Multiaddr> bootstrap, int apiPort,
        ModePolicy dhtMode, Path passphraseFile, RelayServicePolicy relayService, CoverTraffic coverTraffic) {

    public NodeSettings {
        listen = List.copyOf(listen);
        bootstrap = List.copyOf(bootstrap);
        relayService = relayService == null ? RelayServicePolicy.AUTO : relayService;
        coverTraffic = coverTraffic == null ? CoverTraffic.OFF : coverTraffic;
    }

    /** Settings without cover traffic ({@link CoverTraffic#OFF}). */
    public NodeSettings(DataDir dataDir, List<Multiaddr> listen, List<Multiaddr> bootstrap, int apiPort,
            ModePolicy dhtMode, Path passphraseFile, RelayServicePolicy relayService) {
        this(dataDir, listen, bootstrap, apiPort, dhtMode, passphraseFile, relayService, CoverTraffic.OFF);
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
        return new NodeSettings(dataDir, listen, bootstrap, resolved.apiPort(), resolved.dhtMode(), passphraseFile,
                resolved.relayService(), resolved.coverTraffic());
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
