package org.parley.node.chat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.parley.chat.session.ChatStores;
import org.parley.chat.session.ChatStoresFactory;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.ColumnCipher;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.StorageKey;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * Makes {@link SqliteChatStores} for the chat module's contract suites: each store in a real
 * database file of its own, a snapshot being a copy of that file ({@code VACUUM INTO}) opened
 * with the same storage key. Closes and deletes everything in {@link #close()}.
 */
final class DatabaseChatStores implements ChatStoresFactory, AutoCloseable {

    private record Opened(NodeDatabase database, ColumnCipher cipher, LocalIdentity identity) {}

    private final Map<ChatStores, Opened> opened = new IdentityHashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    @Override
    public ChatStores create(IdentityKeyPair identity, int registrationId, int deviceId) throws Exception {
        StorageKey key = StorageKey.generate();
        resources.add(key);
        ColumnCipher cipher = new ColumnCipher(key);
        NodeDatabase database = NodeDatabase.open(newDir().resolve("parley.db"));
        resources.add(database);
        LocalIdentity local = new LocalIdentities(database, cipher).create(identity, registrationId, deviceId,
                Optional.empty(), Instant.now());
        return remember(SqliteChatStores.open(database, cipher, local), new Opened(database, cipher, local));
    }

    @Override
    public ChatStores snapshot(ChatStores stores) throws Exception {
        Opened original = opened.get(stores);
        Path copy = newDir().resolve("parley.db");
        original.database().read(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("VACUUM INTO '" + copy + "'");
            }
        });
        NodeDatabase database = NodeDatabase.open(copy);
        resources.add(database);
        return remember(SqliteChatStores.open(database, original.cipher(), original.identity()),
                new Opened(database, original.cipher(), original.identity()));
    }

    /** The database {@code stores} keep their rows in. */
    NodeDatabase database(ChatStores stores) {
        return opened.get(stores).database();
    }

    private ChatStores remember(ChatStores stores, Opened how) {
        opened.put(stores, how);
        return stores;
    }

    private Path newDir() throws IOException {
        Path dir = Files.createTempDirectory("parley-chat-stores");
        dirs.add(dir);
        return dir;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
