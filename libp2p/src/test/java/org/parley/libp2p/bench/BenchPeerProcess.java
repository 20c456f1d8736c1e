package org.parley.libp2p.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * A {@link BenchPeer} in a child JVM with this JVM's class path, so that sender and receiver are
 * two processes, as two nodes would be. Its stderr goes to ours, and so does whatever it prints on
 * stdout that is not an answer.
 *
 * <p>Not thread safe: one thread sends the commands.
 */
final class BenchPeerProcess implements AutoCloseable {

    /** A JVM with Host, Noise and yamux loaded starts in well under this on two shared cores. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    /** Marks the end of the child's stdout in {@link #lines}; compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END_OF_OUTPUT = new String("<end of output>");

    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final PrintStream stdin;
    private final Multiaddr hostAddress;
    private final Multiaddr tcpSinkAddress;
    private final Multiaddr noiseSinkAddress;
    private final Multiaddr openSslSinkAddress;

    private BenchPeerProcess(Process process) throws IOException {
        this.process = process;
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofVirtual().name("bench-peer-stdout").start(() -> readStdout(stdout));
        this.stdin = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String ready = readLine(READY_TIMEOUT);
        if (!ready.startsWith("ready ")) {
            process.destroyForcibly();
            throw new IOException("bench peer said '" + ready + "'; expected 'ready host=... tcp=... noise=...'");
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : ready.substring("ready ".length()).split(" ")) {
            int eq = part.indexOf('=');
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        this.hostAddress = Multiaddr.parse(fields.get("host"));
        this.tcpSinkAddress = Multiaddr.parse(fields.get("tcp"));
        this.noiseSinkAddress = Multiaddr.parse(fields.get("noise"));
        String openSsl = fields.get("openssl");
        this.openSslSinkAddress = openSsl == null || openSsl.equals("none") ? null : Multiaddr.parse(openSsl);
    }

    /**
     * Starts a bench peer with {@code jvmOptions} and this JVM's class path.
     *
     * @param peerArgs {@link BenchPeer}'s own arguments
     */
    static BenchPeerProcess start(List<String> jvmOptions, List<String> peerArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchPeer.class.getName());
        command.addAll(peerArgs);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            return new BenchPeerProcess(process);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    /** The host's address with {@code /p2p/}. */
    Multiaddr hostAddress() {
        return hostAddress;
    }

    PeerId peerId() {
        return hostAddress.peerId();
    }

    Multiaddr tcpSinkAddress() {
        return tcpSinkAddress;
    }

    Multiaddr noiseSinkAddress() {
        return noiseSinkAddress;
    }

    /** Where sink streams run over Noise with OpenSSL's cipher and yamux (with {@code /p2p/}), or null. */
    Multiaddr openSslSinkAddress() {
        return openSslSinkAddress;
    }

    /** Connections the host holds now. */
    int connections() throws IOException {
        return Integer.parseInt(ask("connections"));
    }

    /** Heap in use right after a full GC in the child: the live objects. */
    long heapUsedAfterGc() throws IOException {
        return Long.parseLong(ask("heap"));
    }

    /** The child's resident set size from {@code /proc/<pid>/status} (VmRSS), in bytes. */
    long residentSetBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                if (parts.length != 2 || !parts[1].equals("kB")) {
                    throw new IOException("unexpected VmRSS line '" + line + "'");
                }
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid() + "/status");
    }

    /** Ends the child's stdin, which closes its host; kills it if it does not exit in time. */
    @Override
    public void close() {
        stdin.close();
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String ask(String command) throws IOException {
        stdin.println(command);
        String answer = readLine(READY_TIMEOUT);
        String prefix = command + " ";
        if (!answer.startsWith(prefix)) {
            throw new IOException("bench peer answered '" + answer + "' to '" + command + "'");
        }
        return answer.substring(prefix.length());
    }

    private String readLine(Duration timeout) throws IOException {
        String line;
        try {
            line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the bench peer", e);
        }
        if (line == null) {
            throw new IOException("bench peer sent nothing within " + timeout.toSeconds() + " s");
        }
        if (line == END_OF_OUTPUT) {
            lines.add(END_OF_OUTPUT);
            throw new IOException("bench peer closed its stdout" + (process.isAlive() ? "" : " and exited"));
        }
        return line;
    }

    private void readStdout(BufferedReader stdout) {
        try (stdout) {
            String line;
            while ((line = stdout.readLine()) != null) {
                if (line.startsWith(BenchPeer.MARKER)) {
                    lines.add(line.substring(BenchPeer.MARKER.length()));
                } else {
                    System.err.println("bench peer stdout: " + line);
                }
            }
        } catch (IOException e) {
            // The pipe broke: the same as the end of output for whoever waits.
        }
        lines.add(END_OF_OUTPUT);
    }
}
