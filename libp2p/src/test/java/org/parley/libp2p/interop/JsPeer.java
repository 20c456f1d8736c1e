package org.parley.libp2p.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.parley.libp2p.crypto.InvalidKeyException;
import org.parley.libp2p.crypto.Keys;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * A real js-libp2p peer in a node process on 127.0.0.1, scripted by interop tests through
 * {@code scripts/interop/peer.mjs}'s line-based JSON protocol.
 *
 * <p>It serves identify (agent {@link #AGENT_VERSION}), {@code /ipfs/ping/1.0.0},
 * {@link #ECHO_PROTOCOL}, {@link #SINK_PROTOCOL} and, when built with {@link Builder#dht}, kad-dht
 * as a server that validates the {@code pk} and {@code parley} namespaces; with
 * {@link Builder#relayServer}, {@link Builder#relayClient} and {@link Builder#autonat}, circuit relay
 * v2 and AutoNAT v1. Commands (see
 * peer.mjs and scripts/interop/README.md for the full list and their results): {@code dial}, {@code addrs},
 * {@code ping}, {@code identify}, {@code echo}, {@code bench-send}, {@code peers}, {@code hangup},
 * {@code dht-*}, {@code parley-record-*}. The process's stderr goes to {@link #logFile()};
 * {@link JsPeerLogs} prints it when a test fails.
 *
 * <p>Thread safe: commands may be sent from several threads at once and run concurrently in js.
 */
public final class JsPeer implements AutoCloseable {

    public static final String LIBP2P_VERSION = "3.3.11";
    /** The identify agent version every js interop peer announces unless told otherwise. */
    public static final String AGENT_VERSION = "js-interop/" + LIBP2P_VERSION;
    /** Echoes every byte back, then closes its writing side after the dialer's end-of-stream. */
    public static final String ECHO_PROTOCOL = "/parley/echo/1.0.0";
    /** Discards every byte; at the dialer's end-of-stream answers the count as 8 bytes big-endian. */
    public static final String SINK_PROTOCOL = "/parley/sink/1.0.0";
    public static final int SINK_COUNT_BYTES = 8;

    /** Node loads libp2p in about a second on two shared cores; leave room for a loaded CI box. */
    private static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(30);
    /** The slowest command in the tests (100 echo streams or 10 MiB) takes about a second on loopback. */
    private static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** js stops its node in well under a second; after this the process is killed. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final int ED25519_SEED_BYTES = 32;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final List<JsPeer> STARTED = new ArrayList<>();

    private final String name;
    private final Process process;
    private final Path logFile;
    private final BufferedWriter stdin;
    private final Duration commandTimeout;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
    private final ReentrantLock eventLock = new ReentrantLock();
    private final Condition eventArrived = eventLock.newCondition();
    private final List<JsonNode> events = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread reader;
    private volatile String exitReason;

    private PeerId peerId;
    private PublicKey publicKey;
    private List<Multiaddr> addrs;

    private JsPeer(Builder b, Path scriptDir) throws IOException {
        this.name = b.name;
        this.commandTimeout = b.commandTimeout;
        this.logFile = InteropScripts.logDir()
                .resolve("js-" + b.name + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + ".log");
        List<String> command = new ArrayList<>(List.of(InteropScripts.nodeExecutable(), InteropScripts.PEER_SCRIPT));
        command.addAll(b.arguments());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(scriptDir.toFile())
                .redirectError(logFile.toFile());
        pb.environment().putAll(b.env);
        try {
            this.process = pb.start();
        } catch (IOException e) {
            throw new JsPeerException("could not run " + command + " in " + scriptDir
                    + ": is Node.js 20 or newer installed (or -D" + InteropScripts.NODE_PROPERTY + " set)?", e);
        }
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.reader = Thread.ofVirtual().name("js-peer-" + name).start(this::readStdout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a peer with default options: a fresh key, listening on 127.0.0.1, no DHT. */
    public static JsPeer start() {
        return builder().start();
    }

    /** Peers started so far in this JVM, oldest first; {@link JsPeerLogs} uses it. */
    static List<JsPeer> started() {
        synchronized (STARTED) {
            return List.copyOf(STARTED);
        }
    }

    public String name() {
        return name;
    }

    public PeerId peerId() {
        return peerId;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** Listen addresses, each ending in {@code /p2p/<peerId>}. */
    public List<Multiaddr> addrs() {
        return addrs;
    }

    /** The first listen address, with {@code /p2p/}. */
    public Multiaddr addr() {
        return addrs.getFirst();
    }

    public Path logFile() {
        return logFile;
    }

    /** What the process wrote to stderr so far. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /**
     * Runs one command and returns its {@code result} object.
     *
     * @throws JsPeerException if js answers with an error, does not answer within the command
     *     timeout, or the process is gone
     */
    public JsonNode command(String command, Map<String, ?> args) {
        return command(command, args, commandTimeout);
    }

    public JsonNode command(String command, Map<String, ?> args, Duration timeout) {
        long id = nextId.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode request = JSON.createObjectNode().put("id", id).put("cmd", command);
        request.set("args", JSON.valueToTree(args));
        String what = "js peer " + name + ": " + command + " " + request.get("args");
        try {
            send(request);
            JsonNode answer = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!answer.path("ok").asBoolean(false)) {
                throw new JsPeerException(what + " failed: " + answer.path("error").asText("(no error text)"));
            }
            return answer.path("result");
        } catch (TimeoutException e) {
            throw new JsPeerException(what + " got no reply within " + timeout.toMillis() + " ms; log: " + logFile, e);
        } catch (ExecutionException e) {
            throw new JsPeerException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsPeerException(what + " was interrupted", e);
        } finally {
            pending.remove(id);
        }
    }

    /** Dials {@code addr} and returns the remote's identify: peer, protocols, agentVersion, listenAddrs. */
    public JsonNode dial(Multiaddr addr) {
        return command("dial", Map.of("addr", addr.toString()));
    }

    /**
     * Pings over an existing connection (or dials the address) and returns the round trip in whole
     * ms as js measures it: 0 on a fast loopback, so callers check it is not negative.
     */
    public double ping(Object peerOrAddr) {
        JsonNode rtt = command("ping", Map.of("peer", peerOrAddr.toString())).get("rtt");
        if (rtt == null || !rtt.isNumber()) {
            throw new AssertionError("js ping of " + peerOrAddr + " answered without a round trip time: " + rtt);
        }
        return rtt.asDouble();
    }

    /** Runs identify on the connection to {@code peer} and returns what it said. */
    public JsonNode identify(PeerId peer) {
        return command("identify", Map.of("peer", peer.toString()));
    }

    /**
     * Opens {@code streams} concurrent {@link #ECHO_PROTOCOL} streams on one connection, sends
     * {@code bytes} random bytes on each and checks the echo by length and sha256.
     */
    public JsonNode echo(PeerId peer, int bytes, int streams) {
        return command("echo", Map.of("peer", peer.toString(), "bytes", bytes, "streams", streams));
    }

    /** Sends {@code bytes} on one {@link #SINK_PROTOCOL} stream; returns bytes, ms and mbPerSec. */
    public JsonNode benchSend(PeerId peer, long bytes) {
        return command("bench-send", Map.of("peer", peer.toString(), "bytes", bytes));
    }

    /**
     * Waits for an unsolicited event ({@code connection-open}, {@code connection-close},
     * {@code identify}) that matches, looking at every event since the start first.
     */
    public JsonNode awaitEvent(String event, Predicate<JsonNode> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        eventLock.lock();
        try {
            int seen = 0;
            while (true) {
                for (; seen < events.size(); seen++) {
                    JsonNode e = events.get(seen);
                    if (event.equals(e.path("event").asText()) && match.test(e)) {
                        return e;
                    }
                }
                if (exitReason != null) {
                    throw new JsPeerException("js peer " + name + " " + exitReason + " before a matching " + event + " event");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new JsPeerException("js peer " + name + " sent no matching " + event + " event within "
                            + timeout.toMillis() + " ms; events: " + events);
                }
                eventArrived.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsPeerException("interrupted while waiting for " + event + " from js peer " + name, e);
        } finally {
            eventLock.unlock();
        }
    }

    /**
     * The unsolicited events of this kind received so far, oldest first: for asserting that
     * something did not happen (say, no {@code connection-open} from a given peer).
     */
    public List<JsonNode> events(String event) {
        eventLock.lock();
        try {
            return events.stream().filter(e -> event.equals(e.path("event").asText())).toList();
        } finally {
            eventLock.unlock();
        }
    }

    /** Asks js to stop, then kills the process if it is still there. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (process.isAlive() && exitReason == null) {
                command("stop", Map.of(), STOP_TIMEOUT);
            }
        } catch (JsPeerException e) {
            // Already gone or hung: the kill below handles both.
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // The pipe is already closed when the process has exited.
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            reader.join(STOP_TIMEOUT);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "JsPeer[" + name + " " + peerId + "]";
    }

    private void awaitReady(Duration timeout) {
        JsonNode r;
        try {
            r = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new JsPeerException("js peer " + name + " did not report ready within " + timeout.toMillis()
                    + " ms; its log:\n" + log(), e);
        } catch (ExecutionException e) {
            throw new JsPeerException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsPeerException("interrupted while starting js peer " + name, e);
        }
        peerId = PeerId.parse(r.path("peerId").asText());
        try {
            publicKey = Keys.unmarshalPublic(HexFormat.of().parseHex(r.path("publicKeyHex").asText()));
        } catch (InvalidKeyException e) {
            throw new JsPeerException("js peer " + name + " reported an unreadable public key: " + e.getMessage(), e);
        }
        List<Multiaddr> list = new ArrayList<>();
        r.path("addrs").forEach(a -> list.add(Multiaddr.parse(a.asText())));
        if (list.isEmpty()) {
            throw new JsPeerException("js peer " + name + " is ready but reported no listen address: " + r);
        }
        addrs = List.copyOf(list);
    }

    private void send(ObjectNode request) {
        try {
            String line = JSON.writeValueAsString(request);
            synchronized (stdin) {
                stdin.write(line);
                stdin.write('\n');
                stdin.flush();
            }
        } catch (IOException e) {
            throw new JsPeerException("cannot write to js peer " + name + " (" + exitReasonOr("its stdin closed") + ")", e);
        }
    }

    private void readStdout() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                dispatch(line);
            }
        } catch (IOException e) {
            // The pipe broke: treated like the end of output below.
        }
        String reason;
        try {
            reason = "exited with code " + process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "stopped writing to stdout";
        }
        exitReason = reason;
        JsPeerException gone = new JsPeerException("js peer " + name + " " + reason + "; its log (" + logFile + "):\n" + log());
        ready.completeExceptionally(gone);
        pending.values().forEach(f -> f.completeExceptionally(gone));
        eventLock.lock();
        try {
            eventArrived.signalAll();
        } finally {
            eventLock.unlock();
        }
    }

    private void dispatch(String line) {
        JsonNode message;
        try {
            message = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            message = JSON.createObjectNode().put("event", "stdout-noise").put("line", line);
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.get(message.get("id").asLong());
            if (reply != null) {
                reply.complete(message);
            }
            return;
        }
        if ("ready".equals(message.path("event").asText())) {
            ready.complete(message);
            return;
        }
        eventLock.lock();
        try {
            events.add(message);
            eventArrived.signalAll();
        } finally {
            eventLock.unlock();
        }
    }

    private String exitReasonOr(String fallback) {
        String r = exitReason;
        return r != null ? r : fallback;
    }

    /** Options for one js peer. Not thread safe; use it on one thread, then {@link #start()}. */
    public static final class Builder {

        private String name = "js";
        private boolean dht;
        private boolean dhtPassive;
        private byte[] seed;
        private String agentVersion;
        private final List<String> listen = new ArrayList<>();
        private final List<String> flags = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;

        private Builder() {}

        /** A label for logs and error messages. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Runs kad-dht as a server (clientMode false, loopback addresses kept, validators and
         * selectors for {@code pk} and {@code parley}).
         */
        public Builder dht(boolean dht) {
            this.dht = dht;
            return this;
        }

        /**
         * Runs kad-dht as a server that starts no lookup by itself (no self-query, no start-up
         * refresh of a non-empty table): it queries only when a command tells it to, so a test
         * knows whom it has contacted. Peers that connect still enter its routing table.
         */
        public Builder dhtPassive() {
            this.dht = true;
            this.dhtPassive = true;
            return this;
        }

        /** Serves circuit relay v2 hop with js's default limits ({@code --relay-server}). */
        public Builder relayServer() {
            flags.add("--relay-server");
            return this;
        }

        /**
         * Adds js's circuit relay transport ({@code --relay-client}): dials circuit addresses, and
         * listens on {@code <relay>/p2p/R/p2p-circuit} addresses given to {@link #listen}.
         */
        public Builder relayClient() {
            flags.add("--relay-client");
            return this;
        }

        /**
         * Adds {@code @libp2p/webrtc} beside the circuit relay transport ({@code --webrtc}): dials
         * {@code <relay>/p2p/R/p2p-circuit/webrtc/p2p/<peer>}, and a {@link #listen} of {@code /webrtc}
         * accepts WebRTC connections signalled over a relayed one.
         */
        public Builder webrtc() {
            flags.add("--webrtc");
            return this;
        }

        /** Serves and runs AutoNAT v1 ({@code --autonat}). */
        public Builder autonat() {
            flags.add("--autonat");
            return this;
        }

        /** A fixed Ed25519 identity from this 32-byte seed instead of a fresh one. */
        public Builder seed(byte[] seed) {
            if (seed.length != ED25519_SEED_BYTES) {
                throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, got " + seed.length);
            }
            this.seed = seed.clone();
            return this;
        }

        /** Overrides the identify agent version (default {@link #AGENT_VERSION}). */
        public Builder agentVersion(String agentVersion) {
            this.agentVersion = agentVersion;
            return this;
        }

        /** Adds a listen address (default {@code /ip4/127.0.0.1/tcp/0}). */
        public Builder listen(String multiaddr) {
            listen.add(multiaddr);
            return this;
        }

        /** Sets an environment variable of the node process. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Turns on js-libp2p's own debug log for these namespaces, e.g. {@code libp2p:yamux*}. */
        public Builder debug(String namespaces) {
            return env("DEBUG", namespaces);
        }

        public Builder readyTimeout(Duration readyTimeout) {
            this.readyTimeout = readyTimeout;
            return this;
        }

        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        /**
         * Starts the process and waits until it listens. Aborts the calling test (JUnit assumption)
         * when the npm packages are missing outside CI; fails under CI.
         */
        public JsPeer start() {
            Path scriptDir = InteropScripts.requireInstalled();
            JsPeer peer;
            try {
                peer = new JsPeer(this, scriptDir);
            } catch (IOException e) {
                throw new JsPeerException("cannot create the log file for js peer " + name + ": " + e.getMessage(), e);
            }
            synchronized (STARTED) {
                STARTED.add(peer);
            }
            try {
                peer.awaitReady(readyTimeout);
            } catch (RuntimeException e) {
                peer.close();
                throw e;
            }
            return peer;
        }

        private List<String> arguments() {
            List<String> args = new ArrayList<>(flags);
            for (String l : listen) {
                args.add("--listen");
                args.add(l);
            }
            if (seed != null) {
                args.add("--seed");
                args.add(HexFormat.of().formatHex(seed));
            }
            if (agentVersion != null) {
                args.add("--agent");
                args.add(agentVersion);
            }
            if (dht) {
                args.add("--dht");
            }
            if (dht && dhtPassive) {
                args.add("--dht-passive");
            }
            return args;
        }
    }
}
