package org.parley.node.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every subcommand that talks to a running node takes. Set by picocli, then read. */
public final class ClientOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data dir of the running node (default: ~/.parley, or --data-dir before the subcommand).")
    Path dataDir;

    @Option(names = "--json", description = "Print the node's answer as JSON instead of text.")
    boolean json;
}
