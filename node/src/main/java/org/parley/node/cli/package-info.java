/**
 * The {@code parley} command line (picocli): starting a node, and subcommands that call the
 * running node's API through {@link org.parley.node.cli.ApiClient} with the shared request and
 * answer records, printing text or, with {@code --json}, the API's JSON unchanged. Exit codes are
 * in {@link org.parley.node.cli.ExitCode}.
 */
package org.parley.node.cli;
