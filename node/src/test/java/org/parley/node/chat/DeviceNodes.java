package org.parley.node.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.parley.journal.Journal;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.feature.Feature;
import org.parley.node.sync.SyncFeature;

/**
 * The chat tests' whole nodes plus what device tests need: nodes started with {@code --link} and
 * on a clock the test moves. HTTP goes through {@link ChatNodes}. Closes every node it started.
 */
final class DeviceNodes implements AutoCloseable {

    /** A clock the test moves forward; starts at the real time. */
    static final class MovableClock implements InstantSource {
        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }

        void advance(Duration by) {
            offset.updateAndGet(d -> d.plus(by));
        }
    }

    final ChatNodes chat = new ChatNodes();
    private final Map<ParleyNode, List<Feature>> featuresOf = new ConcurrentHashMap<>();

    /** Starts the DHT server every later node bootstraps from. */
    void startServer(Path dir) throws Exception {
        chat.startServer(dir);
    }

    /** A node bootstrapped from the server, on {@code clock}, linking through {@code link} if given. */
    ParleyNode start(Path dir, Optional<String> link, InstantSource clock) throws Exception {
        return start(dir, link, clock, Set.of());
    }

    /** A node as {@link #start(Path, Optional, InstantSource)} starts it, without the features {@code leftOut} names. */
    ParleyNode start(Path dir, Optional<String> link, InstantSource clock, Set<String> leftOut) throws Exception {
        List<Feature> features = ParleyNode.defaultFeatures(link).stream().filter(f -> !leftOut.contains(f.name()))
                .toList();
        ParleyNode node = chat.start(dir, features, clock);
        featuresOf.put(node, features);
        return node;
    }

    /** The chat history of a node this class started with chat. */
    ChatHistory chatHistory(ParleyNode node) {
        return chatFeature(node).history().orElseThrow();
    }

    /** The chat state of a node this class started with chat. */
    ChatRuntime chatRuntime(ParleyNode node) {
        return chatFeature(node).runtime().orElseThrow();
    }

    private ChatFeature chatFeature(ParleyNode node) {
        return featuresOf.get(node).stream().filter(ChatFeature.class::isInstance).map(ChatFeature.class::cast)
                .findFirst().orElseThrow();
    }

    /** The history journal of a node this class started with history sync. */
    Journal journal(ParleyNode node) {
        return featuresOf.get(node).stream().filter(SyncFeature.class::isInstance).map(SyncFeature.class::cast)
                .findFirst().flatMap(SyncFeature::service).orElseThrow().journal();
    }

    /** A node bootstrapped from the server with every default feature, on the system clock. */
    ParleyNode start(Path dir) throws Exception {
        return start(dir, Optional.empty(), InstantSource.system());
    }

    /** A new device of {@code existing}'s user on {@code dir}, linked with a fresh code of {@code existing}. */
    ParleyNode startLinked(ParleyNode existing, Path dir) throws Exception {
        return start(dir, Optional.of(linkCode(existing)), InstantSource.system());
    }

    /** A fresh link code of {@code node}'s default identity. */
    String linkCode(ParleyNode node) throws Exception {
        return chat.post(node, ApiPaths.DEVICES_LINK).get("code").asText();
    }

    /** {@code node}'s device list as the API shows it. */
    JsonNode devices(ParleyNode node) throws Exception {
        return chat.get(node, ApiPaths.DEVICES);
    }

    /** Stops {@code node}; its data dir stays for a later start. */
    void stop(ParleyNode node) {
        chat.stop(node);
        featuresOf.remove(node);
    }

    @Override
    public void close() {
        featuresOf.clear();
        chat.close();
    }
}
