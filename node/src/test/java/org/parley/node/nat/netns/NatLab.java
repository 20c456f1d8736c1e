package org.parley.node.nat.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A small internet built from Linux network namespaces for whole-node NAT tests: a "public"
 * namespace whose bridge holds the public network (where the relay node and the STUN server run),
 * and two home networks, each a host namespace behind its own NAT namespace that masquerades the
 * home's traffic to its public address and, like a home router's firewall, drops unsolicited
 * packets from the public network to itself. Needs root, {@code ip}, {@code iptables} and coturn
 * ({@code scripts/test} installs them).
 *
 * <pre>
 *   home1 10.0.1.2 -- 10.0.1.1 nat1 198.51.100.11 --+
 *                                                   +-- br0 198.51.100.1 (public: relay, STUN)
 *   home2 10.0.2.2 -- 10.0.2.1 nat2 198.51.100.12 --+
 * </pre>
 *
 * The STUN server listens on a second public address too, so that {@link #mappingBehaviour}
 * can show which kind of NAT a home is behind.
 *
 * <p>The namespaces are named {@code pnat<pid>-<role>}, after this JVM's PID, so parallel runs never
 * meet; {@link #build} first removes the namespaces (and kills the processes in them) of an
 * earlier run whose JVM is gone, and {@link #close} removes this run's.
 */
final class NatLab implements AutoCloseable {

    /** The public network: TEST-NET-2, a range no real host uses. */
    static final String PUBLIC_IP = "198.51.100.1";

    /** The port coturn's STUN server listens on: STUN's registered port. */
    static final int STUN_PORT = 3478;

    /**
     * The STUN server's second address and port, from which it answers RFC 5780's "change
     * address/port" requests, so that NAT discovery can tell a NAT's mapping behaviour.
     */
    private static final String ALTERNATE_PUBLIC_IP = "198.51.100.2";
    private static final int ALTERNATE_STUN_PORT = STUN_PORT + 1;

    private static final String PREFIX = "pnat";
    private static final Pattern OURS = Pattern.compile("^" + PREFIX + "(\\d+)-\\w+$");
    private static final int PUBLIC_PREFIX_LENGTH = 24;

    /** Every ip/iptables command ends in well under this; more means the machine is wedged. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    /** How long coturn gets to bind its port before the lab checks it answers. */
    private static final Duration STUN_START_TIMEOUT = Duration.ofSeconds(20);

    /** A STUN answer on this virtual network takes milliseconds; none in this long means none. */
    private static final Duration STUN_ANSWER_TIMEOUT = Duration.ofSeconds(3);

    private final String runId;
    private final Path dir;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    private NatLab(Path dir) {
        this.runId = PREFIX + ProcessHandle.current().pid();
        this.dir = dir;
    }

    /**
     * Builds the namespaces, links and NAT rules, with {@code home1} and {@code home2} behind NATs
     * that behave as given, and starts the STUN server. Skips the test (JUnit assumption) where this
     * machine does not let the test create network namespaces; fails with what to install where a
     * tool is missing.
     */
    static NatLab build(Path dir, NatBehaviour home1, NatBehaviour home2) throws Exception {
        probeNamespaces();
        requireTool("iptables", "iptables");
        requireTool("turnserver", "coturn");
        requireTool("curl", "curl");
        removeLeftovers();
        NatLab lab = new NatLab(dir);
        try {
            lab.buildPublic();
            lab.buildHome(1, home1);
            lab.buildHome(2, home2);
            lab.startStun();
            return lab;
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
    }

    /** The public namespace (relay node, STUN server). */
    String publicNamespace() {
        return runId + "-pub";
    }

    /** Home network {@code home}'s (1 or 2) host namespace, where its node runs. */
    String homeNamespace(int home) {
        return runId + "-home" + home;
    }

    /** Home network {@code home}'s NAT namespace. */
    String natNamespace(int home) {
        return runId + "-nat" + home;
    }

    /** The public address home network {@code home}'s NAT masquerades to. */
    static String natPublicIp(int home) {
        return "198.51.100.1" + home;
    }

    /** The private address of home network {@code home}'s host. */
    static String homeIp(int home) {
        return "10.0." + home + ".2";
    }

    /**
     * Starts {@code command} inside {@code namespace}, its stderr to {@code log}; the lab kills it on
     * close if it still runs.
     */
    Process start(String namespace, List<String> command, Path log) throws IOException {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(command);
        Process process = new ProcessBuilder(all).redirectError(log.toFile()).start();
        processes.add(process);
        return process;
    }

    /** Runs {@code command} inside {@code namespace} to its end and returns its output (stdout and stderr). */
    static String execIn(String namespace, String... command) throws Exception {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(List.of(command));
        return run(all);
    }

    /**
     * What the STUN server reports as the source address of a binding request sent from home
     * network {@code home}'s host: the NAT's public address and mapped port, as {@code IP:PORT}.
     */
    String stunMappedAddress(int home) throws Exception {
        // With an alternate address on the server, turnutils_stunclient prints the first answer and
        // then waits for RFC 5780 answers it never asked for; timeout(1) ends it, and the first
        // answer is what counts.
        String out = runForOutput(List.of("ip", "netns", "exec", homeNamespace(home), "timeout",
                String.valueOf(STUN_ANSWER_TIMEOUT.toSeconds()), "turnutils_stunclient", "-p", String.valueOf(STUN_PORT),
                PUBLIC_IP));
        Matcher matcher = Pattern.compile("reflexive addr: ([0-9.]+:\\d+)").matcher(out);
        if (!matcher.find()) {
            throw new AssertionError("the STUN server gave no reflexive address to home " + home + ": " + out);
        }
        return matcher.group(1);
    }

    /**
     * The mapping behaviour of home network {@code home}'s NAT as coturn's RFC 5780 discovery
     * reports it from that home's host, such as {@code Endpoint Independent Mapping}.
     */
    String mappingBehaviour(int home) throws Exception {
        String out = execIn(homeNamespace(home), "timeout", String.valueOf(STUN_ANSWER_TIMEOUT.toSeconds() * 4),
                "turnutils_natdiscovery", "-m", "-p", String.valueOf(STUN_PORT), PUBLIC_IP);
        Matcher matcher = Pattern.compile("NAT with ([A-Za-z ]+Mapping)").matcher(out);
        if (!matcher.find()) {
            throw new AssertionError("coturn's NAT discovery gave no mapping behaviour for home " + home + ": " + out);
        }
        return matcher.group(1);
    }

    private void buildPublic() throws Exception {
        addNamespace(publicNamespace());
        String pub = publicNamespace();
        run("ip", "-n", pub, "link", "add", "br0", "type", "bridge");
        run("ip", "-n", pub, "addr", "add", PUBLIC_IP + "/" + PUBLIC_PREFIX_LENGTH, "dev", "br0");
        run("ip", "-n", pub, "addr", "add", ALTERNATE_PUBLIC_IP + "/" + PUBLIC_PREFIX_LENGTH, "dev", "br0");
        run("ip", "-n", pub, "link", "set", "br0", "up");
    }

    private void buildHome(int home, NatBehaviour behaviour) throws Exception {
        String pub = publicNamespace();
        String nat = natNamespace(home);
        String host = homeNamespace(home);
        addNamespace(nat);
        addNamespace(host);
        // The NAT's uplink: a veth from its "wan" to a port of the public bridge.
        String port = "up" + home;
        run("ip", "link", "add", "wan", "netns", nat, "type", "veth", "peer", "name", port, "netns", pub);
        run("ip", "-n", pub, "link", "set", port, "master", "br0");
        run("ip", "-n", pub, "link", "set", port, "up");
        run("ip", "-n", nat, "addr", "add", natPublicIp(home) + "/" + PUBLIC_PREFIX_LENGTH, "dev", "wan");
        run("ip", "-n", nat, "link", "set", "wan", "up");
        // The home link: the NAT's "lan" to the host's "eth0".
        run("ip", "link", "add", "lan", "netns", nat, "type", "veth", "peer", "name", "eth0", "netns", host);
        run("ip", "-n", nat, "addr", "add", "10.0." + home + ".1/24", "dev", "lan");
        run("ip", "-n", nat, "link", "set", "lan", "up");
        run("ip", "-n", host, "addr", "add", homeIp(home) + "/24", "dev", "eth0");
        run("ip", "-n", host, "link", "set", "eth0", "up");
        run("ip", "-n", host, "route", "add", "default", "via", "10.0." + home + ".1");
        // Another home's private addresses are unreachable, as on the internet: refused at once
        // (an ICMP error) rather than a dial that hangs until it times out.
        run("ip", "-n", nat, "route", "add", "unreachable", "10.0.0.0/8");
        execIn(nat, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        List<String> masquerade = new ArrayList<>(List.of("iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan",
                "-j", "MASQUERADE"));
        masquerade.addAll(behaviour.masqueradeOptions());
        execIn(nat, masquerade.toArray(String[]::new));
        // The router's own firewall, as every home router has one: unsolicited packets from the
        // internet to the router itself are dropped. Without it, the first hole-punching packet from
        // the other home reaches the router, which keeps a conntrack entry for it (nothing listens,
        // yet the entry is confirmed before the socket lookup); the home's own packet to that peer
        // then clashes with that entry and MASQUERADE gives it a fresh port, so the NAT turns
        // symmetric towards exactly that peer and no hole punch can succeed.
        execIn(nat, "iptables", "-A", "INPUT", "-i", "wan", "-m", "conntrack", "--ctstate", "NEW", "-j", "DROP");
    }

    private void startStun() throws Exception {
        // STUN only (no relaying, no authentication), on the public address; its database and PID
        // file in the test's directory rather than /var.
        Process stun = start(publicNamespace(), List.of("turnserver", "-n", "--stun-only", "--no-cli",
                "--listening-ip", PUBLIC_IP, "--listening-ip", ALTERNATE_PUBLIC_IP,
                "--listening-port", String.valueOf(STUN_PORT), "--alt-listening-port", String.valueOf(ALTERNATE_STUN_PORT),
                "--userdb", dir.resolve("turndb").toString(), "--pidfile", dir.resolve("turnserver.pid").toString(),
                "--log-file", "stdout", "--simple-log"), dir.resolve("turnserver.err"));
        // Its log on stdout is drained and dropped: a closed pipe would kill it with SIGPIPE.
        Thread.ofVirtual().start(() -> {
            try {
                stun.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                // coturn ended.
            }
        });
        long deadline = System.nanoTime() + STUN_START_TIMEOUT.toNanos();
        while (true) {
            try {
                stunMappedAddress(1);
                return;
            } catch (AssertionError | IllegalStateException notYet) {
                if (!stun.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("coturn's STUN server did not answer within "
                            + STUN_START_TIMEOUT.toSeconds() + " s; see " + dir.resolve("turnserver.err"), notYet);
                }
                Thread.sleep(200);
            }
        }
    }

    private void addNamespace(String name) throws Exception {
        run("ip", "netns", "add", name);
        namespaces.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up");
    }

    /** Stops what the lab started, kills whatever else runs in its namespaces, and removes them. */
    @Override
    public void close() throws Exception {
        for (Process process : processes.reversed()) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        Exception first = null;
        for (String namespace : namespaces.reversed()) {
            try {
                remove(namespace);
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void remove(String namespace) throws Exception {
        for (String pid : run("ip", "netns", "pids", namespace).split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        run("ip", "netns", "del", namespace);
    }

    /** Removes the namespaces of earlier runs whose JVM is gone (killed before it could clean up). */
    private static void removeLeftovers() throws Exception {
        for (String line : run("ip", "netns", "list").split("\n")) {
            String name = line.split("\\s+")[0];
            Matcher matcher = OURS.matcher(name);
            if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                remove(name);
            }
        }
    }

    /**
     * Skips (with the reason) where this machine cannot make network namespaces: an unprivileged
     * container or a system without {@code ip}. Everywhere else the NAT tests run.
     */
    private static void probeNamespaces() throws Exception {
        String probe = PREFIX + ProcessHandle.current().pid() + "-probe";
        Process add;
        try {
            add = new ProcessBuilder("ip", "netns", "add", probe).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("network namespaces are not available here: no 'ip' command (" + e.getMessage() + ")");
            return;
        }
        String out = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (add.waitFor() != 0) {
            Assumptions.abort("this machine does not let the test create network namespaces"
                    + " ('ip netns add' needs root or CAP_SYS_ADMIN): " + out.strip());
        }
        run("ip", "netns", "del", probe);
    }

    private static void requireTool(String command, String debianPackage) throws Exception {
        Process which = new ProcessBuilder("sh", "-c", "command -v " + command).redirectErrorStream(true).start();
        which.getInputStream().readAllBytes();
        if (which.waitFor() != 0) {
            throw new IllegalStateException("the NAT tests need '" + command + "': install the Debian package "
                    + debianPackage + " (scripts/test does)");
        }
    }

    private static String run(String... command) throws Exception {
        return run(List.of(command));
    }

    private static String run(List<String> command) throws Exception {
        return run(command, true);
    }

    /** Runs {@code command} to its end and returns its output, whatever its exit status. */
    private static String runForOutput(List<String> command) throws Exception {
        return run(command, false);
    }

    private static String run(List<String> command, boolean mustSucceed) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (mustSucceed && process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                    + text.strip());
        }
        return text;
    }
}
