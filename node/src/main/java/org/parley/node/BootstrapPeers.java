package org.parley.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.InvalidMultiaddrException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.service.ServiceException;
import org.parley.node.service.UserInput;
import org.parley.node.storage.KeyValueStore;
import org.parley.node.storage.StorageException;

/**
 * The bootstrap peers as a user edits them while the node runs: those of the config file and
 * command line, plus the ones added, minus the ones removed. The edits are kept in the database,
 * so they outlast a restart, and applied at once to the {@link BootstrapKeeper}. Thread safe.
 */
public final class BootstrapPeers {

    /** The key-value namespace of the edits. */
    static final String NAMESPACE = "bootstrap";
    static final String ADDED = "added";
    static final String REMOVED = "removed";
    /**
     * Each kept address has a thread redialing it and a connection protected from trimming; a user
     * needs a handful, and 64 bounds what a script's mistake can make the node hold.
     */
    public static final int MAX_PEERS = 64;

    /** One bootstrap peer: its address, whether the config gave it, and whether it is connected now. */
    public record Peer(Multiaddr address, boolean configured, boolean connected) {}

    private final Host host;
    private final BootstrapKeeper keeper;
    private final List<Multiaddr> configured;
    private final KeyValueStore store;

    BootstrapPeers(Host host, BootstrapKeeper keeper, List<Multiaddr> configured, KeyValueStore store) {
        this.host = host;
        this.keeper = keeper;
        this.configured = List.copyOf(configured);
        this.store = store;
    }

    /** The addresses to keep at start: the configured ones and the added ones, minus the removed ones. */
    static List<Multiaddr> effective(List<Multiaddr> configured, KeyValueStore store) throws StorageException {
        Set<Multiaddr> out = new LinkedHashSet<>(configured);
        out.addAll(read(store, ADDED));
        out.removeAll(read(store, REMOVED));
        return List.copyOf(out);
    }

    /** The peers kept now, in order. */
    public List<Peer> list() {
        return keeper.addresses().stream()
                .map(a -> new Peer(a, configured.contains(a), !host.connections(a.peerId()).isEmpty()))
                .toList();
    }

    /**
     * Keeps {@code text} (a multiaddr ending in {@code /p2p/<PeerId>}) as a bootstrap peer, from
     * now and after restarts, and dials it.
     *
     * @throws ServiceException BAD_INPUT for a bad address, one without a PeerId, one kept already,
     *     or one over {@link #MAX_PEERS}
     */
    public synchronized List<Peer> add(String text) throws StorageException {
        Multiaddr address = bootstrapAddress(text);
        List<Multiaddr> kept = keeper.addresses();
        if (kept.contains(address)) {
            throw ServiceException.badInput(address + " is a bootstrap peer already");
        }
        if (kept.size() >= MAX_PEERS) {
            throw ServiceException.badInput("the node keeps at most " + MAX_PEERS
                    + " bootstrap peers; remove one first");
        }
        Set<Multiaddr> added = read(store, ADDED);
        Set<Multiaddr> removed = read(store, REMOVED);
        removed.remove(address);
        if (!configured.contains(address)) {
            added.add(address);
        }
        write(ADDED, added);
        write(REMOVED, removed);
        keeper.add(address);
        return list();
    }

    /**
     * Stops keeping {@code text} as a bootstrap peer, from now and after restarts (a configured one
     * stays removed until added again here).
     *
     * @throws ServiceException BAD_INPUT for a bad address, NOT_FOUND if it is not a bootstrap peer
     */
    public synchronized List<Peer> remove(String text) throws StorageException {
        Multiaddr address = UserInput.multiaddr(text.strip());
        if (!keeper.addresses().contains(address)) {
            throw ServiceException.notFound(address + " is not a bootstrap peer");
        }
        Set<Multiaddr> added = read(store, ADDED);
        Set<Multiaddr> removed = read(store, REMOVED);
        added.remove(address);
        if (configured.contains(address)) {
            removed.add(address);
        }
        write(ADDED, added);
        write(REMOVED, removed);
        keeper.remove(address);
        return list();
    }

    private static Multiaddr bootstrapAddress(String text) {
        Multiaddr address = UserInput.multiaddr(text.strip());
        if (address.peerId() == null) {
            throw ServiceException.badInput("a bootstrap address must end in /p2p/<PeerId>, so the node knows whom"
                    + " it reaches; e.g. /ip4/192.0.2.1/tcp/4001/p2p/12D3KooW...");
        }
        return address;
    }

    private void write(String key, Set<Multiaddr> addresses) throws StorageException {
        List<String> lines = new ArrayList<>();
        addresses.forEach(a -> lines.add(a.toString()));
        store.put(key, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    private static Set<Multiaddr> read(KeyValueStore store, String key) throws StorageException {
        Set<Multiaddr> out = new LinkedHashSet<>();
        byte[] value = store.get(key).orElse(new byte[0]);
        for (String line : new String(value, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(Multiaddr.parse(line));
            } catch (InvalidMultiaddrException e) {
                // Written by this class from parsed addresses: a line that no longer parses is skipped.
            }
        }
        return out;
    }
}
