package org.parley.node.identity;

import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.parley.chat.identity.InvalidUserIdException;
import org.parley.chat.identity.InviteLink;
import org.parley.chat.identity.UserId;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.service.ServiceException;
import org.parley.node.storage.StorageException;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * The user identities this node holds: creates one at first start, creates more, retires them,
 * and picks the one a command names ({@code --identity}: a user ID or a display name; the oldest
 * active identity when none is named). Builds invite links with this device's addresses as hints.
 * Thread safe.
 */
public final class IdentityService {

    /** This device's number under each identity it creates; a linked device has the number its link gave it. */
    public static final int THIS_DEVICE = 1;

    private final LocalIdentities identities;
    private final InstantSource clock;
    private final Supplier<List<Multiaddr>> addresses;
    private volatile java.util.function.Consumer<LocalIdentity> onCreated = identity -> { };
    private volatile java.util.function.Consumer<LocalIdentity> onRetired = identity -> { };
    /** The identities as last read; every change here clears it. Chat reads it for every frame. */
    private volatile List<LocalIdentity> cache;

    public IdentityService(LocalIdentities identities, InstantSource clock, Supplier<List<Multiaddr>> addresses) {
        this.identities = identities;
        this.clock = clock;
        this.addresses = addresses;
    }

    /** The identities in the node's database, with invite links carrying the host's dialable addresses. */
    public static IdentityService of(org.parley.node.feature.FeatureContext context) {
        org.parley.libp2p.host.Host host = context.host();
        return new IdentityService(new LocalIdentities(context.storage().database(), context.storage().cipher()),
                context.clock(), () -> org.parley.node.ListenAddresses.dialable(host.listenAddresses(), host.peerId()));
    }

    /** Runs {@code listener} for each identity created from now on (the chat feature announces it). */
    public void onCreated(java.util.function.Consumer<LocalIdentity> listener) {
        this.onCreated = listener;
    }

    /** Runs {@code listener} for each identity retired from now on (the chat feature stops announcing it). */
    public void onRetired(java.util.function.Consumer<LocalIdentity> listener) {
        this.onRetired = listener;
    }

    /** Creates the first identity if this node holds none yet (first start); returns the default one. */
    public synchronized Optional<LocalIdentity> ensureOne() throws StorageException {
        if (identities.all().isEmpty()) {
            identities.create(IdentityKeyPair.generate(), THIS_DEVICE, Optional.empty(), clock.instant());
            cache = null;
        }
        return active().stream().findFirst();
    }

    /** Every identity, retired ones too, oldest first. */
    public List<LocalIdentity> all() {
        List<LocalIdentity> cached = cache;
        if (cached != null) {
            return cached;
        }
        try {
            cached = List.copyOf(identities.all());
            cache = cached;
            return cached;
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The identities not retired, oldest first. */
    public List<LocalIdentity> active() {
        return all().stream().filter(LocalIdentity::active).toList();
    }

    /**
     * A new identity with display name {@code name}.
     *
     * @throws ServiceException BAD_INPUT if the name is empty, too long, or taken by another identity
     */
    public synchronized LocalIdentity create(String name) {
        String trimmed = checkedName(name, Optional.empty());
        try {
            LocalIdentity created = identities.create(IdentityKeyPair.generate(), THIS_DEVICE, Optional.of(trimmed),
                    clock.instant());
            cache = null;
            onCreated.accept(created);
            return created;
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Gives the identity {@code reference} names (default: the default identity) the display name
     * {@code name}; the first start creates an identity without one, and the web UI asks for it.
     *
     * @throws ServiceException BAD_INPUT if the name is empty, too long, or taken by another identity
     */
    public synchronized LocalIdentity rename(Optional<String> reference, String name) {
        LocalIdentity identity = resolve(reference);
        String trimmed = checkedName(name, Optional.of(identity));
        try {
            identities.rename(identity.rowId(), trimmed);
            cache = null;
            return identities.byRowId(identity.rowId()).orElseThrow();
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code name} stripped, if it is a display name no other active identity than {@code self} has. */
    private String checkedName(String name, Optional<LocalIdentity> self) {
        String trimmed = name == null ? "" : name.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length == 0 || length > InviteLink.MAX_NAME_LENGTH) {
            throw ServiceException.badInput("a display name has 1 to " + InviteLink.MAX_NAME_LENGTH
                    + " characters; got " + length);
        }
        if (trimmed.startsWith(UserId.HRP + "1")) {
            throw ServiceException.badInput("a display name cannot look like a user ID; choose another");
        }
        if (active().stream().filter(i -> self.isEmpty() || i.rowId() != self.get().rowId())
                .anyMatch(i -> i.displayName().equals(Optional.of(trimmed)))) {
            throw ServiceException.badInput("an identity named '" + trimmed + "' exists already; choose another name");
        }
        return trimmed;
    }

    /**
     * Retires the identity {@code reference} names: it no longer receives requests or messages
     * and is not offered as the default; its history stays readable.
     */
    public synchronized LocalIdentity retire(String reference) {
        LocalIdentity identity = resolve(Optional.of(reference));
        try {
            identities.retire(identity.rowId(), clock.instant());
            cache = null;
            LocalIdentity retired = identities.byRowId(identity.rowId()).orElseThrow();
            onRetired.accept(retired);
            return retired;
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The active identity {@code reference} names (its user ID or display name), or the default
     * (oldest active) one when empty.
     *
     * @throws ServiceException BAD_INPUT for a mistyped ID, NOT_FOUND for an identity this node
     *     does not hold (or retired), or when it holds none
     */
    public LocalIdentity resolve(Optional<String> reference) {
        List<LocalIdentity> active = active();
        if (reference.isEmpty() || reference.get().isBlank()) {
            return active.stream().findFirst().orElseThrow(() -> ServiceException.notFound("this node holds no active"
                    + " identity: create one with parley identities new NAME"));
        }
        String ref = reference.get().strip();
        if (ref.toLowerCase(java.util.Locale.ROOT).startsWith(UserId.HRP + "1")) {
            UserId id;
            try {
                id = UserId.parse(ref);
            } catch (InvalidUserIdException e) {
                throw ServiceException.badInput(e.getMessage());
            }
            return active.stream().filter(i -> i.userId().equals(id)).findFirst()
                    .orElseThrow(() -> ServiceException.notFound("this node holds no active identity " + id.text()
                            + ": see parley identities"));
        }
        return active.stream().filter(i -> i.displayName().equals(Optional.of(ref))).findFirst()
                .orElseThrow(() -> ServiceException.notFound("this node holds no active identity named '" + ref
                        + "': see parley identities"));
    }

    /** The invite link of {@code identity}: its ID, this device's addresses as hints, its display name. */
    public InviteLink invite(LocalIdentity identity) {
        List<Multiaddr> hints = addresses.get().stream().limit(InviteLink.MAX_ADDRESSES).toList();
        return new InviteLink(identity.userId(), hints, identity.displayName());
    }
}
