package org.parley.node.devices;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.ListenAddresses;
import org.parley.node.chat.GroupChains;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactStore;
import org.parley.node.events.EventBus;
import org.parley.node.events.NodeEvent;
import org.parley.node.identity.IdentityService;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.service.ServiceException;
import org.parley.node.storage.StorageException;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * This user's devices: keeps each identity's signed device list (this device alone, number 1, at
 * first), hands out link codes, grants a new device what it needs when it proves a code, and
 * revokes devices (list version up, history key rotated). Thread safe.
 */
public final class DeviceService {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeviceService.class);

    private final IdentityService identities;
    private final LocalIdentities keys;
    private final DeviceStore store;
    private final ContactStore contacts;
    private final LinkCodes codes;
    private final Host host;
    private final EventBus events;
    private final InstantSource clock;
    private final Map<PeerId, Instant> lastSeen = new ConcurrentHashMap<>();
    private final ContactDeviceLists contactLists;
    private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final GroupChains groups;

    public DeviceService(IdentityService identities, LocalIdentities keys, DeviceStore store, ContactStore contacts,
            ContactDeviceLists contactLists, LinkCodes codes, Host host, EventBus events, InstantSource clock,
            GroupChains groups) {
        this.groups = groups;
        this.contactLists = contactLists;
        this.identities = identities;
        this.keys = keys;
        this.store = store;
        this.contacts = contacts;
        this.codes = codes;
        this.host = host;
        this.events = events;
        this.clock = clock;
    }

    /** This device's PeerId. */
    PeerId self() {
        return host.peerId();
    }

    LinkCodes codes() {
        return codes;
    }

    /** Notes that {@code peer} was seen now (it connected); the device list shows it. */
    public void seen(PeerId peer) {
        lastSeen.put(peer, clock.instant());
    }

    /** One device as {@code devices} lists it. */
    public record DeviceView(PeerId peer, int number, boolean thisDevice, Instant added, Optional<Instant> lastSeen) {}

    /** The devices of identity {@code reference} (default: the default identity), oldest first. */
    public List<DeviceView> devices(Optional<String> reference) {
        LocalIdentity identity = identities.resolve(reference);
        DeviceList list = signedList(identity).list();
        List<DeviceView> out = new ArrayList<>();
        for (DeviceList.Device d : list.devices()) {
            boolean self = d.peer().equals(host.peerId());
            Optional<Instant> seen = self || !host.connections(d.peer()).isEmpty() ? Optional.of(clock.instant())
                    : Optional.ofNullable(lastSeen.get(d.peer()));
            out.add(new DeviceView(d.peer(), d.number(), self, d.at(), seen));
        }
        return out;
    }

    /**
     * Calls {@code listener} after this device stores a new device list or history key of any of
     * its identities (a link, a revoke, a sibling's newer list or rotated key), so that a reader
     * holding them in memory can read them again.
     */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    private void changed() {
        for (Runnable listener : changeListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("a device list listener failed: {}", e.toString());
            }
        }
    }

    /**
     * The current history key of identity {@code reference}, made (generation 1) if it has none yet.
     */
    public DeviceStore.HistoryKey currentHistoryKey(Optional<String> reference) {
        LocalIdentity identity = identities.resolve(reference);
        try {
            return store.historyKey(identity.rowId(), clock.instant());
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The history key of identity {@code reference} of generation {@code generation}, if this device holds it. */
    public Optional<DeviceStore.HistoryKey> historyKey(Optional<String> reference, int generation) {
        LocalIdentity identity = identities.resolve(reference);
        try {
            return store.historyKey(identity.rowId(), generation);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The device list of identity {@code reference} as the sync journal reads it. */
    public UserDevices userDevices(Optional<String> reference) {
        LocalIdentity identity = identities.resolve(reference);
        return new UserDevices(identity.userId(), signedList(identity).list());
    }

    /** A new one-time code that links another device to identity {@code reference}. */
    public LinkCodes.Issue link(Optional<String> reference) {
        LocalIdentity identity = identities.resolve(reference);
        DeviceList list = signedList(identity).list();
        if (list.devices().size() >= DeviceList.MAX_DEVICES) {
            throw ServiceException.badInput("this identity has " + DeviceList.MAX_DEVICES + " devices already: revoke"
                    + " one with 'parley devices revoke' before linking another");
        }
        List<Multiaddr> addresses = ListenAddresses.dialable(host.listenAddresses(), host.peerId()).stream()
                .map(Multiaddr::withoutPeerId).toList();
        return codes.issue(identity.rowId(), host.peerId(), addresses);
    }

    /**
     * Revokes device {@code device} (its PeerId or its number) of identity {@code reference}:
     * removes it from the list, signs the next version and rotates the history key.
     *
     * @throws ServiceException BAD_INPUT for this device itself, NOT_FOUND for no such current device
     */
    public synchronized DeviceList revoke(Optional<String> reference, String device) {
        LocalIdentity identity = identities.resolve(reference);
        DeviceList list = signedList(identity).list();
        DeviceList.Device target = find(list, device);
        if (target.peer().equals(host.peerId())) {
            throw ServiceException.badInput("this is the device you are using: revoke it from another of your"
                    + " devices");
        }
        Instant now = clock.instant();
        DeviceList next = list.revoke(target.peer(), now);
        try {
            store.putList(identity.rowId(), SignedDeviceList.sign(next, keys.keyPair(identity.rowId())));
            store.rotateHistoryKey(identity.rowId(), now);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
        changed();
        events.publish(new NodeEvent.DeviceRevoked(identity.userId().text(), target.peer().toBase58(),
                target.number()));
        announce(identity);
        return next;
    }

    private static DeviceList.Device find(DeviceList list, String device) {
        String ref = device == null ? "" : device.strip();
        for (DeviceList.Device d : list.devices()) {
            if (d.peer().toBase58().equals(ref) || Integer.toString(d.number()).equals(ref)) {
                return d;
            }
        }
        throw ServiceException.notFound("no current device '" + ref + "': give a PeerId or device number that"
                + " 'parley devices' lists");
    }

    /** The signed device list of {@code identity}, created (this device alone) if it has none yet. */
    public synchronized SignedDeviceList signedList(LocalIdentity identity) {
        try {
            Optional<SignedDeviceList> stored = store.list(identity.rowId());
            if (stored.isPresent()) {
                return stored.get();
            }
            SignedDeviceList first = SignedDeviceList.sign(
                    DeviceList.first(host.peerId(), identity.deviceId(), identity.createdAt()),
                    keys.keyPair(identity.rowId()));
            store.putList(identity.rowId(), first);
            changed();
            return first;
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Takes a newer list of this user's, signed by its identity, that a sibling device told.
     *
     * @return whether it was newer than the one held
     */
    synchronized boolean adoptOwnList(LocalIdentity identity, SignedDeviceList told) {
        if (told.list().version() <= signedList(identity).list().version()) {
            return false;
        }
        try {
            store.putList(identity.rowId(), told);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
        changed();
        return true;
    }

    /** The current history key of {@code identity}, for {@code peer} only if it is another current device of the user. */
    Optional<DeviceStore.HistoryKey> historyKeyFor(LocalIdentity identity, PeerId peer) {
        if (peer.equals(host.peerId()) || !signedList(identity).list().isCurrent(peer)) {
            return Optional.empty();
        }
        try {
            return Optional.of(store.historyKey(identity.rowId(), clock.instant()));
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fetches the history key from the sibling {@code peer} (which just told a newer device list,
     * so it may have rotated the key) and keeps it if its generation is newer. In the background.
     */
    void pullHistoryKey(LocalIdentity identity, PeerId peer) {
        Thread.ofVirtual().name("devices-history-key").start(() -> {
            try {
                Optional<DeviceStore.HistoryKey> key = DeviceListExchange.askHistoryKey(host, peer, identity.userId());
                if (key.isEmpty()) {
                    return;
                }
                int current = store.currentHistoryKey(identity.rowId()).map(DeviceStore.HistoryKey::generation)
                        .orElse(0);
                if (key.get().generation() > current) {
                    store.putHistoryKey(identity.rowId(), key.get().generation(), key.get().key(), clock.instant());
                    log.info("history key of {} is now generation {}", identity.userId(), key.get().generation());
                    changed();
                }
            } catch (java.io.IOException | RuntimeException e) {
                log.debug("fetching the history key from {} failed: {}", peer, e.toString());
            }
        });
    }

    /**
     * Adds {@code newDevice} to identity {@code identityRow}'s list with the next device number and
     * returns what it receives. Runs once the device proved a live code.
     */
    synchronized LinkGrant grant(long identityRow, PeerId newDevice) throws StorageException {
        LocalIdentity identity = identities.all().stream().filter(i -> i.rowId() == identityRow && i.active())
                .findFirst().orElseThrow(() -> new StorageException("the identity this code links was retired"));
        IdentityKeyPair keyPair = keys.keyPair(identityRow);
        DeviceList list = signedList(identity).list();
        if (list.isCurrent(newDevice)) {
            list = list.revoke(newDevice, clock.instant());
        }
        Instant now = clock.instant();
        int number = list.nextNumber();
        DeviceList next = list.with(new DeviceList.Device(newDevice, number, now));
        SignedDeviceList signed = SignedDeviceList.sign(next, keyPair);
        store.putList(identityRow, signed);
        DeviceStore.HistoryKey history = store.historyKey(identityRow, now);
        List<LinkGrant.LinkedContact> linked = new ArrayList<>();
        for (Contact c : contacts.all(identityRow)) {
            linked.add(new LinkGrant.LinkedContact(c.userId().text(), c.name().orElse(null),
                    c.displayName().orElse(null), c.state().wireName(), c.verified(),
                    c.hints().stream().map(Multiaddr::toString).toList(), c.peerId().orElse(null),
                    c.device().isPresent() ? c.device().getAsInt() : null));
        }
        List<LinkGrant.LinkedGroup> linkedGroups = linkedGroups(identityRow);
        changed();
        events.publish(new NodeEvent.DeviceAdded(identity.userId().text(), newDevice.toBase58(), number));
        announce(identity);
        return new LinkGrant(keyPair.serialize(), number, identity.displayName().orElse(null), history.key(),
                history.generation(), signed.encode(), linked, linkedGroups);
    }

    /**
     * The groups a new device receives: each one's chain, up to the grant's limits on groups and
     * operation bytes; a group beyond them is left out (and logged).
     */
    private List<LinkGrant.LinkedGroup> linkedGroups(long identityRow) throws StorageException {
        List<LinkGrant.LinkedGroup> out = new ArrayList<>();
        long bytes = 0;
        int left = 0;
        for (GroupChains.Chain chain : groups.of(identityRow)) {
            long size = chain.ops().stream().mapToLong(op -> op.length).sum();
            if (out.size() >= LinkGrant.MAX_GROUPS || chain.ops().size() > org.parley.chat.group.GroupLog.MAX_OPS
                    || bytes + size > LinkGrant.MAX_GROUP_OP_BYTES_TOTAL) {
                left++;
                continue;
            }
            bytes += size;
            out.add(new LinkGrant.LinkedGroup(chain.group().toString(), chain.membership(), chain.ops()));
        }
        if (left > 0) {
            log.warn("{} groups do not fit in the link grant; the new device learns them when members next send"
                    + " their operations", left);
        }
        return out;
    }

    /**
     * Tells every accepted contact's known devices, and this user's other devices, the current
     * list of {@code identity}, in the background; a device that cannot be reached now asks for
     * the list itself before it next sends (its copy is refreshed after {@code DeviceFanout}'s
     * refresh time).
     */
    public void announce(LocalIdentity identity) {
        Thread.ofVirtual().name("devices-announce").start(() -> {
            SignedDeviceList list = signedList(identity);
            java.util.Set<PeerId> peers = new java.util.LinkedHashSet<>();
            list.list().devices().forEach(d -> peers.add(d.peer()));
            try {
                for (Contact c : contacts.all(identity.rowId())) {
                    if (c.state() != org.parley.node.contacts.ContactState.ACCEPTED) {
                        continue;
                    }
                    c.peerId().ifPresent(p -> peers.add(PeerId.parse(p)));
                    contactLists.get(identity.rowId(), c.userId())
                            .ifPresent(k -> k.list().list().devices().forEach(d -> peers.add(d.peer())));
                }
            } catch (StorageException e) {
                log.warn("cannot read the contacts to announce the device list to: {}", e.getMessage());
            }
            peers.remove(host.peerId());
            for (PeerId peer : peers) {
                try {
                    DeviceListExchange.tell(host, peer, identity.userId(), list);
                } catch (java.io.IOException | RuntimeException e) {
                    log.debug("telling {} the device list failed: {}", peer, e.toString());
                }
            }
        });
    }

    /** Hints of a linked contact that parse; a bad one is dropped, not fatal. */
    static List<Multiaddr> hints(List<String> texts) {
        List<Multiaddr> out = new ArrayList<>();
        for (String t : texts) {
            try {
                out.add(Multiaddr.parse(t));
            } catch (IllegalArgumentException e) {
                // A hint is only a hint: the DHT finds the contact without it.
            }
        }
        return out;
    }

    static OptionalInt device(Integer number) {
        return number == null ? OptionalInt.empty() : OptionalInt.of(number);
    }
}
