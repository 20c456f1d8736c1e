package org.parley.node.versions;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.contacts.Contact;
import org.parley.node.storage.KeyValueStore;
import org.parley.node.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent versions of contact devices, kept in the node's key-value store under the device's
 * PeerId so a contact shows its last known client while offline, and the warnings the
 * unsafe-version list gives for them. A device is kept once it is some contact's device (when the
 * contact is shown); from then on each identify from it (first or push) updates it. Thread safe.
 */
public final class DeviceVersions implements ContactVersions, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeviceVersions.class);

    /** The key-value namespace the agent versions live in. */
    public static final String NAMESPACE = "device-agents";

    /** Identify allows long agent strings; a version that long is kept cut, never refused. */
    static final int MAX_AGENT_CHARS = 256;

    private static final String PREFIX = "agent/";

    private final Host host;
    private final KeyValueStore store;
    private final Supplier<UnsafeVersionList> unsafe;
    private final Subscription subscription;

    public DeviceVersions(Host host, KeyValueStore store, Supplier<UnsafeVersionList> unsafe) {
        this.host = host;
        this.store = store;
        this.unsafe = unsafe;
        this.subscription = host.subscribe(event -> {
            if (event instanceof HostEvent.PeerIdentified identified) {
                refresh(identified.peer());
            }
        });
    }

    @Override
    public VersionStatus of(Contact contact) {
        if (contact.peerId().isEmpty()) {
            return VersionStatus.UNKNOWN;
        }
        PeerId device;
        try {
            device = PeerId.parse(contact.peerId().get());
        } catch (RuntimeException e) {
            return VersionStatus.UNKNOWN;
        }
        Optional<String> live = host.peerstore().agentVersion(device).map(DeviceVersions::cut);
        Optional<String> stored = stored(device);
        live.filter(agent -> !stored.equals(Optional.of(agent))).ifPresent(agent -> put(device, agent));
        Optional<String> agent = live.or(() -> stored);
        Optional<String> warning = agent.flatMap(a -> unsafe.get().flagging(a)
                .map(entry -> a + " is flagged unsafe: " + entry.reason()));
        return new VersionStatus(agent, warning);
    }

    /** On identify: updates a kept device's version; other peers are not kept. */
    private void refresh(PeerId peer) {
        Optional<String> stored = stored(peer);
        if (stored.isEmpty()) {
            return;
        }
        host.peerstore().agentVersion(peer).map(DeviceVersions::cut)
                .filter(agent -> !agent.equals(stored.get()))
                .ifPresent(agent -> put(peer, agent));
    }

    private Optional<String> stored(PeerId device) {
        try {
            return store.get(PREFIX + device.toBase58()).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        } catch (StorageException e) {
            log.debug("cannot read the kept agent version of {}: {}", device, e.toString());
            return Optional.empty();
        }
    }

    private void put(PeerId device, String agent) {
        try {
            store.put(PREFIX + device.toBase58(), agent.getBytes(StandardCharsets.UTF_8));
        } catch (StorageException e) {
            log.debug("cannot keep the agent version of {}: {}", device, e.toString());
        }
    }

    private static String cut(String agent) {
        return agent.length() <= MAX_AGENT_CHARS ? agent : agent.substring(0, MAX_AGENT_CHARS);
    }

    @Override
    public void close() {
        subscription.close();
    }
}
