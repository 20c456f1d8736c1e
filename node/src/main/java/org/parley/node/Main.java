package org.parley.node;

import org.parley.node.cli.ParleyCommand;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The entry point of {@code parley.jar}: parses the command line, points logging at the right
 * place (the node's rolling log, or warnings only for CLI subcommands), then runs the command.
 */
public final class Main {

    /** Names the log directory in logback.xml; must be set before the first logger exists. */
    static final String LOG_DIR_PROPERTY = "parley.log.dir";
    private static final String LOGBACK_CONFIG_PROPERTY = "logback.configurationFile";
    private static final String CLI_LOGBACK_CONFIG = "logback-cli.xml";

    private Main() {}

    public static void main(String[] args) {
        CommandLine commandLine = ParleyCommand.commandLine();
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        commandLine.setExecutionStrategy(parseResult -> {
            configureLogging(parseResult);
            return run.execute(parseResult);
        });
        System.exit(commandLine.execute(args));
    }

    /**
     * Runs before any class that logs is loaded: nothing that picocli touches while parsing holds
     * a logger.
     */
    private static void configureLogging(ParseResult parseResult) {
        boolean startsNode = !parseResult.hasSubcommand()
                && !parseResult.isUsageHelpRequested() && !parseResult.isVersionHelpRequested();
        if (System.getProperty(LOGBACK_CONFIG_PROPERTY) != null) {
            return;
        }
        if (!startsNode) {
            System.setProperty(LOGBACK_CONFIG_PROPERTY, CLI_LOGBACK_CONFIG);
            return;
        }
        ParleyCommand command = parseResult.commandSpec().commandLine().getCommand();
        DataDir dataDir = command.dataDir();
        try {
            dataDir.create();
        } catch (java.io.IOException e) {
            // The node reports this itself when it opens the data dir; log to the console only.
            System.setProperty(LOGBACK_CONFIG_PROPERTY, CLI_LOGBACK_CONFIG);
            return;
        }
        System.setProperty(LOG_DIR_PROPERTY, dataDir.logDir().toString());
    }
}
