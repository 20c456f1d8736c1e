package org.parley.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.NodeRunner;
import org.parley.node.ParleyNode;
import org.parley.node.ParleyVersion;
import org.parley.node.config.ConfigException;
import org.parley.node.config.ConfigFile;
import org.parley.node.config.NodeConfig;
import org.parley.node.nat.RelayServicePolicy;
import org.parley.node.web.BrowserOpener;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import org.parley.node.devices.LinkFailedException;
import java.time.InstantSource;
import java.util.Optional;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code parley}: without a subcommand, starts a node and runs until SIGTERM or SIGINT; with one,
 * acts on the node already running with the same data dir. Not thread safe (one run).
 */
@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = ParleyVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Serverless peer-to-peer node. Without a subcommand it starts a node and prints:",
            "  peer-id: <PeerId>",
            "  rendezvous: <key>   (the DHT provider key find-user looks this device up by)",
            "  user-id: <ID>   (the default identity's user ID, parley1...)",
            "  listen: <multiaddr>/p2p/<PeerId>   (one line per address)",
            "  api: http://127.0.0.1:<port>/?token=<token>",
            "  ready",
            "Subcommands act on the node running with the same --data-dir."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:error (message on stderr)", "2:wrong usage"},
        subcommands = {
            IdCommand.class,
            PeersCommand.class,
            PingCommand.class,
            ConnectCommand.class,
            DhtCommand.class,
            FindUserCommand.class,
            IdentitiesCommand.class,
            DevicesCommand.class,
            ContactsCommand.class,
            RequestsCommand.class,
            ContactActionCommand.Accept.class,
            ContactActionCommand.Decline.class,
            ContactActionCommand.Block.class,
            ContactActionCommand.Unblock.class,
            SendCommand.class,
            SendFileCommand.class,
            HistoryCommand.class,
            GroupsCommand.class,
            SyncCommand.class,
            SafetyNumberCommand.class,
            ContactActionCommand.Verify.class,
            FileCommands.Share.class,
            FileCommands.Unshare.class,
            FileCommands.Get.class,
            FileCommands.Transfers.class,
            FileCommands.Pause.class,
            FileCommands.Resume.class,
            FileCommands.Cancel.class,
            UnsafeVersionsCommand.class,
            HelpCommand.class,
        })
public final class ParleyCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the key, config.json, api.json, routing table and logs live (default: ~/.parley).")
    Path dataDir;

    @Option(names = "--listen", paramLabel = "MULTIADDR",
            description = "Address to listen on; repeatable (default: " + NodeConfig.DEFAULT_LISTEN + ").")
    List<String> listen;

    @Option(names = "--bootstrap", paramLabel = "MULTIADDR",
            description = "Peer to dial at start and keep connected (…/p2p/<PeerId>, or"
                    + " /dnsaddr/<host>/p2p/<PeerId>); repeatable.")
    List<String> bootstrap;

    @Option(names = "--api-port", paramLabel = "N",
            description = "Port of the HTTP API and web UI on 127.0.0.1; 0 picks a free one (default: "
                    + NodeConfig.DEFAULT_API_PORT + ").")
    Integer apiPort;

    @Option(names = "--dht-mode", paramLabel = "MODE", converter = ModePolicyConverter.class,
            description = "auto, server or client (default: auto: server once reachable).")
    ModePolicy dhtMode;

    @Option(names = "--relay-service", paramLabel = "WHEN", converter = RelayServicePolicyConverter.class,
            description = "on, off or auto: relay connections for peers behind NATs (default: auto: while"
                    + " AutoNAT finds this node publicly reachable).")
    RelayServicePolicy relayService;

    @Option(names = "--stun", paramLabel = "URL",
            description = "STUN server WebRTC asks for this node's public address, stun:HOST:PORT; repeatable"
                    + " (default: none, so no server is asked and only local addresses are offered).")
    List<String> stun;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "File holding the passphrase of <data-dir>/storage.key: wraps a new key at first start,"
                    + " opens a wrapped one (without it a wrapped key is asked for at the terminal).")
    Path passphraseFile;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file, JSON or .properties (default: <data-dir>/config.json if it exists)."
                    + " Command-line options override it.")
    Path config;

    @Option(names = "--link", paramLabel = "CODE",
            description = "Start as a new device of the user whose other device printed CODE ('parley devices"
                    + " link' there); use a new data dir. A wrong, expired or used code stops with a message.")
    String link;

    @Option(names = "--open",
            description = "Open the web UI in the default browser once the node is ready (without a browser,"
                    + " says to open the printed api: URL).")
    boolean open;

    @Spec
    CommandSpec spec;

    /** The picocli command line for {@code parley}, with exit codes as in {@link ExitCode}. */
    public static CommandLine commandLine() {
        return new CommandLine(new ParleyCommand())
                .setExecutionExceptionHandler((e, cmd, parseResult) -> {
                    cmd.getErr().println("parley: " + e);
                    e.printStackTrace(cmd.getErr());
                    return ExitCode.ERROR;
                });
    }

    /** The data dir these options name. */
    public DataDir dataDir() {
        return dataDir == null ? DataDir.defaultLocation() : new DataDir(dataDir);
    }

    /**
     * The effective settings: defaults, then the config file, then these options.
     *
     * @throws ConfigException if the file or a value is wrong
     */
    public NodeSettings settings() throws ConfigException {
        if (apiPort != null && (apiPort < 0 || apiPort > NodeConfig.MAX_PORT)) {
            throw new ParameterException(spec.commandLine(),
                    "--api-port " + apiPort + " is outside 0.." + NodeConfig.MAX_PORT);
        }
        DataDir dir = dataDir();
        NodeConfig file = config != null ? ConfigFile.read(config) : ConfigFile.readIfPresent(dir.configFile());
        NodeConfig commandLine = new NodeConfig(listen, bootstrap, apiPort, dhtMode,
                passphraseFile == null ? null : passphraseFile.toString(), relayService, stun, null, null, null, null);
        return NodeSettings.of(dir, NodeConfig.resolve(file, commandLine));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NodeSettings settings;
        try {
            settings = settings();
        } catch (ConfigException e) {
            err.println("parley: " + e.getMessage());
            err.flush();
            return ExitCode.ERROR;
        }
        NodeRunner runner;
        try {
            // The runner, not the node: the page's "Link this device" starts the node again in this process.
            runner = NodeRunner.start(settings, Optional.ofNullable(link), InstantSource.system());
        } catch (LinkFailedException e) {
            err.println("parley: cannot link this device: " + e.getMessage());
            err.flush();
            return ExitCode.ERROR;
        } catch (IOException e) {
            err.println("parley: cannot start the node: " + e.getMessage());
            err.flush();
            return ExitCode.ERROR;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("parley-shutdown").unstarted(runner::close));
        ParleyNode node = runner.node();
        node.printStartup(out);
        out.flush();
        if (open) {
            // After "ready", on stderr: stdout carries only the lines scripts rely on.
            BrowserOpener.open(node.apiEndpoint().webUri(), err);
        }
        runner.awaitStopped();
        if (runner.node() == null && !runner.closed()) {
            err.println("parley: the node could not start again after linking; its log says why");
            err.flush();
            return ExitCode.ERROR;
        }
        return ExitCode.OK;
    }

    /** Reads {@code --relay-service}; a wrong value is a usage error naming the accepted ones. */
    static final class RelayServicePolicyConverter implements CommandLine.ITypeConverter<RelayServicePolicy> {
        @Override
        public RelayServicePolicy convert(String value) {
            try {
                return RelayServicePolicy.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads {@code --dht-mode}; a wrong value is a usage error naming the accepted ones. */
    static final class ModePolicyConverter implements CommandLine.ITypeConverter<ModePolicy> {
        @Override
        public ModePolicy convert(String value) {
            try {
                return ModePolicy.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
