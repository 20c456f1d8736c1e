package org.parley.libp2p.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@code scripts/bench stream}, parsed. Immutable.
 *
 * @param bytes bytes per transfer
 * @param runs measured transfers per pair, after one warm-up round
 * @param connections connections opened one after the other per setup figure
 * @param hold connections held for the memory figure
 * @param sections which parts run: cipher, java, js, connect, memory
 * @param childJavaOptions extra JVM options for the child JVMs
 * @param layerRows whether the Java rows without yamux, without Noise and with OpenSSL run too
 */
record StreamBenchOptions(long bytes, int runs, int connections, int hold, Set<String> sections,
        List<String> childJavaOptions, boolean layerRows) {

    static final String USAGE = """
            usage: scripts/bench stream [--bytes SIZE] [--runs N] [--connections N] [--hold N]
                                        [--only SECTIONS] [--child-java-option OPTION]...
              --bytes SIZE     bytes per transfer, e.g. 1GiB (default), 256MiB
              --runs N         measured transfers per pair, after one warm-up round (default 3)
              --connections N  connections opened one after the other per setup figure (default 1000)
              --hold N         connections held for the memory figure (default 500)
              --only LIST      comma-separated subset of: cipher,java,js,connect,memory (default all)
              --child-java-option OPTION  extra JVM option for the child JVMs (repeatable), e.g. a JFR recording
              --no-layer-rows  only the Host row of Java → Java: no rows without yamux or Noise or with OpenSSL
            """;

    static final Set<String> SECTIONS = Set.of("cipher", "java", "js", "connect", "memory");

    /** The child's heap: what a desktop node would get; the memory figure is read against it. */
    static final String CHILD_HEAP = "-Xmx1g";

    static StreamBenchOptions parse(String[] args) {
        long bytes = 1L << 30;
        int runs = 3;
        int connections = 1000;
        int hold = 500;
        Set<String> sections = new LinkedHashSet<>(List.of("cipher", "java", "js", "connect", "memory"));
        List<String> childOptions = new ArrayList<>();
        boolean layerRows = true;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (arg.equals("--no-layer-rows")) {
                layerRows = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + arg + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (arg) {
                case "--bytes" -> bytes = ByteSize.parse(value);
                case "--runs" -> runs = positive(arg, value);
                case "--connections" -> connections = positive(arg, value);
                case "--hold" -> hold = positive(arg, value);
                case "--only" -> {
                    sections = new LinkedHashSet<>(List.of(value.split(",")));
                    if (!SECTIONS.containsAll(sections)) {
                        throw new IllegalArgumentException("--only takes some of " + SECTIONS + ", got '" + value + "'");
                    }
                }
                case "--child-java-option" -> childOptions.add(value);
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'\n" + USAGE);
            }
        }
        return new StreamBenchOptions(bytes, runs, connections, hold, sections, List.copyOf(childOptions), layerRows);
    }

    private static int positive(String option, String value) {
        int n = Integer.parseInt(value);
        if (n <= 0) {
            throw new IllegalArgumentException(option + " must be positive, got " + value);
        }
        return n;
    }

    List<String> childJvm() {
        List<String> all = new ArrayList<>(List.of(CHILD_HEAP));
        all.addAll(childJavaOptions);
        return all;
    }
}
