package org.parley.node.chat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.parley.chat.identity.UserId;
import org.parley.chat.protocol.PrekeyInitiator;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.session.ChatCryptoException;
import org.parley.chat.session.IdentityKeyChangedException;
import org.parley.chat.wire.ChatAck;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.PrekeyAnswer;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.contacts.Contact;
import org.parley.node.devices.ContactDeviceLists;
import org.parley.node.devices.DeviceList;
import org.parley.node.devices.DeviceListExchange;
import org.parley.node.devices.DeviceStore;
import org.parley.node.devices.SignedDeviceList;
import org.parley.node.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one envelope to every device of a contact that the contact's signed device list names
 * (each device its own session, at its own device number), and a text of ours also to this
 * user's other devices (sent copies). The contact's list comes from {@link ContactDeviceLists},
 * refreshed from one of the contact's devices when it is older than {@link #REFRESH}; a contact
 * whose devices give no list is left to the single-device path. Thread safe.
 */
final class DeviceFanout {

    private static final Logger log = LoggerFactory.getLogger(DeviceFanout.class);

    /**
     * How long a contact's list is used without asking again: devices tell their contacts of every
     * change, so this only bounds how long a missed announcement goes unnoticed.
     */
    static final Duration REFRESH = Duration.ofMinutes(5);

    /**
     * How long a device that could not be reached is skipped while another device of the same
     * user takes the envelopes: a switched-off laptop must not cost every message a dial timeout.
     * What it misses, the sync journal brings over once it is back.
     */
    static final Duration SKIP_UNREACHABLE = Duration.ofSeconds(30);

    /**
     * What one fan-out achieved: whether a device of the contact took it, else the last error; and
     * the replies the devices' acks carried (their delivered receipts).
     */
    record Outcome(boolean delivered, String error, List<Reply> replies) {}

    /** One device's answer: empty error when it took the frame, and the reply its ack carried, if any. */
    private record DeviceAnswer(Optional<String> error, Optional<Reply> reply) {}

    /**
     * Writes a frame to a peer on the chat protocol (the outbox's pooled streams) without waiting:
     * the ack comes in the future, which fails with an {@link IOException} if the stream does.
     */
    @FunctionalInterface
    interface Sender {
        CompletableFuture<ChatAck> submit(PeerId peer, ChatFrame frame) throws IOException;
    }

    private final ChatRuntime runtime;
    private final Host host;
    private final ContactDeviceLists contactLists;
    private final DeviceStore ownLists;
    private final java.util.Map<PeerId, java.time.Instant> skipUntil = new java.util.concurrent.ConcurrentHashMap<>();

    DeviceFanout(ChatRuntime runtime, Host host, ContactDeviceLists contactLists, DeviceStore ownLists) {
        this.runtime = runtime;
        this.host = host;
        this.contactLists = contactLists;
        this.ownLists = ownLists;
    }

    /**
     * Writes {@code envelope} to every listed device of {@code contact} without waiting for the
     * acks, so a burst keeps the streams' windows full (each device's frames go out in the order of
     * the calls, on its own stream). The caller sends the sent copies ({@link #sentCopies}) once
     * the outcome says a device took it.
     *
     * @param candidates the contact's devices as the single-device path finds them, to ask for the list
     * @return empty when no list of the contact is known (the caller takes the single-device path);
     *     else the outcome to come once every device written to has answered (already complete
     *     when none could be written to)
     * @throws IdentityKeyChangedException if a device presents another identity key
     */
    Optional<CompletableFuture<Outcome>> submit(IdentityChat chat, Contact contact, ChatEnvelope envelope,
            java.util.function.Supplier<List<PeerId>> candidates, Sender sender) throws IdentityKeyChangedException {
        Optional<DeviceList> list = contactList(chat, contact, candidates);
        if (list.isEmpty()) {
            return Optional.empty();
        }
        String lastError = "no device of the contact is reachable";
        List<DeviceList.Device> targets = list.get().devices().stream()
                .filter(d -> !d.peer().equals(host.peerId())).toList();
        List<DeviceList.Device> awake = targets.stream().filter(d -> !skipped(d.peer())).toList();
        List<CompletableFuture<DeviceAnswer>> answers = new ArrayList<>();
        for (DeviceList.Device device : awake.isEmpty() ? targets : awake) {
            try {
                answers.add(submitTo(chat, contact.userId(), device, envelope, sender));
            } catch (NotSent e) {
                lastError = e.getMessage();
            }
        }
        if (answers.isEmpty()) {
            return Optional.of(CompletableFuture.completedFuture(new Outcome(false, lastError, List.of())));
        }
        String noneTook = lastError;
        return Optional.of(CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            String error = noneTook;
            boolean took = false;
            List<Reply> replies = new ArrayList<>();
            for (CompletableFuture<DeviceAnswer> answer : answers) {
                DeviceAnswer a = answer.join();
                a.reply().ifPresent(replies::add);
                if (a.error().isEmpty()) {
                    took = true;
                } else {
                    error = a.error().get();
                }
            }
            return took ? new Outcome(true, "", replies) : new Outcome(false, error, List.of());
        }));
    }

    /**
     * The text (or a batch of texts) to this user's other devices, best effort and without waiting
     * for their acks: one that is offline catches up through sync.
     */
    void sentCopies(IdentityChat chat, ChatEnvelope envelope, Sender sender) {
        Optional<SignedDeviceList> own;
        try {
            own = ownLists.list(chat.identity().rowId());
        } catch (StorageException e) {
            log.warn("cannot read this user's device list: {}", e.getMessage());
            return;
        }
        if (own.isEmpty()) {
            return;
        }
        for (DeviceList.Device sibling : own.get().list().devices()) {
            if (sibling.peer().equals(host.peerId()) || skipped(sibling.peer())) {
                continue;
            }
            try {
                submitTo(chat, chat.identity().userId(), sibling, envelope, sender).thenAccept(answer -> answer.error()
                        .ifPresent(why -> log.debug("sent copy to device {} not taken: {}", sibling.number(), why)));
            } catch (NotSent e) {
                log.debug("sent copy to device {} not taken: {}", sibling.number(), e.getMessage());
            } catch (IdentityKeyChangedException e) {
                log.warn("device {} of this user presented another identity key; no copy sent", sibling.number());
            }
        }
    }

    /** Why a frame could not even be written to a device (no session could be started, the stream failed). */
    private static final class NotSent extends Exception {
        NotSent(Exception cause) {
            super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        }
    }

    /**
     * Encrypts and writes {@code envelope} to {@code device}; the future holds no error when the
     * device took it (and the reply its ack carried), else why not. A device whose stream fails is skipped for a while.
     */
    private CompletableFuture<DeviceAnswer> submitTo(IdentityChat chat, UserId user, DeviceList.Device device,
            ChatEnvelope envelope, Sender sender) throws IdentityKeyChangedException, NotSent {
        CompletableFuture<ChatAck> ack;
        try {
            ChatAddress address = session(chat, user, device);
            ack = sender.submit(device.peer(), chat.sessions().encrypt(address, envelope));
        } catch (IdentityKeyChangedException e) {
            throw e;
        } catch (IOException e) {
            skipUntil.put(device.peer(), runtime.clock.instant().plus(SKIP_UNREACHABLE));
            throw new NotSent(e);
        } catch (ChatCryptoException | RuntimeException e) {
            throw new NotSent(e);
        }
        return ack.handle((answer, failed) -> {
            if (failed != null) {
                Throwable cause = failed instanceof java.util.concurrent.CompletionException ? failed.getCause() : failed;
                if (cause instanceof IOException) {
                    skipUntil.put(device.peer(), runtime.clock.instant().plus(SKIP_UNREACHABLE));
                }
                return new DeviceAnswer(Optional.of(cause.getMessage() == null ? cause.toString() : cause.getMessage()),
                        Optional.empty());
            }
            skipUntil.remove(device.peer());
            return answer.received()
                    ? new DeviceAnswer(Optional.empty(), answer.reply().map(r -> new Reply(device.peer(), r)))
                    : new DeviceAnswer(Optional.of("the device refused it: " + answer.reason()), Optional.empty());
        });
    }

    private boolean skipped(PeerId peer) {
        java.time.Instant until = skipUntil.get(peer);
        return until != null && runtime.clock.instant().isBefore(until);
    }

    /** The session with {@code device} of {@code user}, started from the device's own bundle if there is none. */
    private ChatAddress session(IdentityChat chat, UserId user, DeviceList.Device device)
            throws IOException, ChatCryptoException {
        ChatAddress address = new ChatAddress(user, device.number());
        if (chat.sessions().hasSession(address)) {
            return address;
        }
        PrekeyAnswer answer = PrekeyInitiator.fetch(host, device.peer(), user);
        if (!(answer instanceof PrekeyAnswer.Bundle(var bundle))) {
            throw new IOException("device " + device.peer() + " holds no identity " + user);
        }
        if (bundle.deviceId() != device.number()) {
            throw new IOException("device " + device.peer() + " calls itself number " + bundle.deviceId()
                    + ", the signed list says " + device.number());
        }
        return chat.sessions().startSession(user, bundle);
    }

    /** The contact's current list: the stored one while fresh, else asked of the candidates. */
    private Optional<DeviceList> contactList(IdentityChat chat, Contact contact,
            java.util.function.Supplier<List<PeerId>> candidates) {
        long row = chat.identity().rowId();
        Optional<ContactDeviceLists.Known> known;
        try {
            known = contactLists.get(row, contact.userId());
        } catch (StorageException e) {
            log.warn("cannot read the device list of {}: {}", contact.userId(), e.getMessage());
            return Optional.empty();
        }
        if (known.isPresent() && known.get().fetchedAt().plus(REFRESH).isAfter(runtime.clock.instant())) {
            return Optional.of(known.get().list().list());
        }
        List<PeerId> ask = new ArrayList<>();
        known.ifPresent(k -> k.list().list().devices().forEach(d -> ask.add(d.peer())));
        candidates.get().stream().filter(p -> !ask.contains(p)).forEach(ask::add);
        ask.remove(host.peerId());
        for (PeerId peer : ask) {
            try {
                Optional<SignedDeviceList> fetched = DeviceListExchange.ask(host, peer, contact.userId());
                if (fetched.isPresent()) {
                    contactLists.putIfNotOlder(row, contact.userId(), fetched.get(), runtime.clock.instant());
                    return contactLists.get(row, contact.userId()).map(k -> k.list().list());
                }
            } catch (IOException | RuntimeException e) {
                log.debug("asking {} for the device list of {} failed: {}", peer, contact.userId(), e.toString());
            }
        }
        return known.map(k -> k.list().list());
    }
}
