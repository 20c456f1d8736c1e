package org.parley.node.chat;

import java.io.UncheckedIOException;
import java.util.Optional;
import org.parley.chat.session.ChatCryptoException;
import org.parley.chat.session.ReplayedMessageException;
import org.parley.chat.wire.ChatAck;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;
import org.parley.node.devices.DeviceList;
import org.parley.node.devices.DeviceStore;
import org.parley.node.devices.SignedDeviceList;
import org.parley.node.events.NodeEvent;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.StorageException;

/**
 * Frames from another device of one of this node's own identities: taken only from a device the
 * identity's signed device list names, at the number it names. A text there is a copy of what
 * that device sent to a contact (found by the envelope's conversation); it is kept as ours, state
 * sent. Group traffic there (the device's own operations, sender key and messages) goes to the
 * group service, so this device knows the group and shows what the other one sent. Thread safe.
 */
final class SiblingCopies {

    private final ChatRuntime runtime;
    private final DeviceStore ownLists;

    private final GroupService groups;

    SiblingCopies(ChatRuntime runtime, DeviceStore ownLists) {
        this(runtime, ownLists, null);
    }

    /** @param groups takes copies of this user's group traffic from its other devices; null to ignore them */
    SiblingCopies(ChatRuntime runtime, DeviceStore ownLists, GroupService groups) {
        this.runtime = runtime;
        this.ownLists = ownLists;
        this.groups = groups;
    }

    ChatAck accept(PeerId from, ChatFrame frame) {
        Optional<LocalIdentity> identity = runtime.identities.active().stream()
                .filter(i -> i.userId().equals(frame.sender())).findFirst();
        if (identity.isEmpty()) {
            return ChatAck.rejected("a frame from one of this node's own identities");
        }
        Optional<SignedDeviceList> list;
        try {
            list = ownLists.list(identity.get().rowId());
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
        Optional<DeviceList.Device> device = list.flatMap(l -> l.list().device(from));
        if (device.isEmpty() || device.get().number() != frame.senderDevice()
                || frame.senderDevice() == identity.get().deviceId()) {
            return ChatAck.rejected("not a current device of this user");
        }
        ChatEnvelope envelope;
        try {
            envelope = runtime.chat(identity.get()).sessions().decrypt(frame);
        } catch (ReplayedMessageException e) {
            return ChatAck.rejected("replayed message");
        } catch (ChatCryptoException e) {
            return ChatAck.rejected("no session for this frame");
        }
        runtime.hlc.observe(envelope.timestamp());
        switch (envelope.content()) {
            case ChatContent.Text text -> keep(identity.get(), envelope, text);
            case ChatContent.Batch batch -> batch.envelopes().forEach(e -> {
                runtime.hlc.observe(e.timestamp());
                keep(identity.get(), e, (ChatContent.Text) e.content());
            });
            case ChatContent.GroupOps ops when groups != null -> groups.receive(identity.get(),
                    new org.parley.chat.session.ChatAddress(frame.sender(), frame.senderDevice()), ops);
            case ChatContent.GroupMessage message when groups != null -> groups.receive(identity.get(),
                    new org.parley.chat.session.ChatAddress(frame.sender(), frame.senderDevice()), message);
            default -> {
                // Nothing else is copied between a user's devices here.
            }
        }
        return ChatAck.ok();
    }

    private void keep(LocalIdentity identity, ChatEnvelope envelope, ChatContent.Text text) {
        try {
            for (Contact c : runtime.contacts(identity.rowId())) {
                if (c.state() == ContactState.ACCEPTED && c.conversation().equals(envelope.conversation())) {
                    if (runtime.messages.addSentCopy(identity.rowId(), c.userId(), envelope, text.text())) {
                        runtime.history.recorded();
                        runtime.publish(new NodeEvent.ChatMessage(identity.userId().text(), c.userId().text(),
                                envelope.id().toString(), true, envelope.timestamp().physicalMillis(),
                                envelope.timestamp().counter(), text.text()));
                    }
                    return;
                }
            }
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }
}
