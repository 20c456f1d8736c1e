package org.parley.node.cli;

/**
 * The process exit codes of {@code parley}, documented in the README so scripts can rely on
 * them.
 */
public final class ExitCode {

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The command failed: the node is not running, the peer did not answer, the input was refused. */
    public static final int ERROR = 1;
    /** The command line was wrong (unknown option, missing argument); usage was printed. */
    public static final int USAGE = 2;

    private ExitCode() {}
}
