package org.parley.node.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.api.ApiEndpoint;
import org.parley.node.DataDir;
import org.parley.node.Main;

/**
 * A Parley node in a child JVM (the node's main class on this test's class path), so a test can
 * kill it with SIGKILL the way a crash or {@code kill -9} does. Its start lines are read from its
 * stdout; its logs go to a file beside the data dir.
 */
final class NodeProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final List<String> startLines;
    private final DataDir dataDir;

    private NodeProcess(Process process, List<String> startLines, DataDir dataDir) {
        this.process = process;
        this.startLines = startLines;
        this.dataDir = dataDir;
    }

    /** Starts a node on {@code dir} listening on 127.0.0.1:{@code port}, bootstrapped from {@code bootstrap}. */
    static NodeProcess start(Path dir, int port, Multiaddr bootstrap, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // logback.xml, not the test class path's logback-test.xml: the child logs to stderr (a file here)
        // and its data dir as a real node does, never into the stdout this test reads.
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-Dlogback.configurationFile=logback.xml", "-Dparley.log.dir=" + dir.resolve("logs"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--data-dir", dir.toString(), "--listen", "/ip4/127.0.0.1/tcp/" + port,
                "--bootstrap", bootstrap.toString(), "--api-port", "0", "--dht-mode", "server");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        CompletableFuture<List<String>> ready = CompletableFuture.supplyAsync(() -> readStartLines(process));
        try {
            List<String> lines = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new NodeProcess(process, lines, new DataDir(dir));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("the child node did not print ready; its log is " + log, e);
        }
    }

    private static List<String> readStartLines(Process process) {
        List<String> lines = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.equals("ready")) {
                    // Keep draining stdout, so the child never blocks on a full pipe.
                    Thread.ofVirtual().start(() -> {
                        try {
                            out.transferTo(java.io.Writer.nullWriter());
                        } catch (IOException e) {
                            // The child ended.
                        }
                    });
                    return lines;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("the child node's stdout ended before ready: " + lines);
    }

    /** The value of the start line {@code name: value}. */
    String startLine(String name) {
        return startLines.stream().filter(l -> l.startsWith(name + ": ")).findFirst()
                .map(l -> l.substring(name.length() + 2)).orElseThrow();
    }

    ApiEndpoint api() throws IOException {
        return ApiEndpoint.read(dataDir.apiFile());
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
