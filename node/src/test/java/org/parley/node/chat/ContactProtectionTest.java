package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;

/**
 * An accepted contact's device is protected from the connection manager's trimming; no one else is,
 * and a contact that stops being accepted loses the protection its identity gave it.
 */
class ContactProtectionTest {

    /** What the fake host was told, as "protect peer tag" and "unprotect peer tag". */
    private final List<String> calls = new ArrayList<>();
    private final Host host = (Host) Proxy.newProxyInstance(Host.class.getClassLoader(), new Class<?>[] {Host.class},
            (proxy, method, args) -> {
                if (method.getName().equals("protect") || method.getName().equals("unprotect")) {
                    calls.add(method.getName() + " " + args[0] + " " + args[1]);
                    return method.getName().equals("protect") ? null : Boolean.FALSE;
                }
                throw new AssertionError("ContactProtection called Host." + method.getName());
            });

    @Test
    void protectsTheDeviceOfAnAcceptedContactOnly() {
        ContactProtection protection = new ContactProtection(host);
        PeerId accepted = randomPeer();

        protection.accept(contact(ContactState.ACCEPTED, Optional.of(accepted)));
        protection.accept(contact(ContactState.ACCEPTED, Optional.empty()));
        for (ContactState other : List.of(ContactState.REQUESTED, ContactState.PENDING, ContactState.DECLINED,
                ContactState.BLOCKED)) {
            protection.accept(contact(other, Optional.of(randomPeer())));
        }

        assertThat(calls).filteredOn(call -> call.startsWith("protect ")).containsExactly("protect " + accepted + " contact/1");
    }

    @Test
    void aBlockedDeclinedOrDeletedContactLosesItsProtection() {
        ContactProtection protection = new ContactProtection(host);
        PeerId blocked = randomPeer();
        PeerId deleted = randomPeer();
        protection.accept(contact(ContactState.ACCEPTED, Optional.of(blocked)));
        protection.accept(contact(ContactState.ACCEPTED, Optional.of(deleted)));

        protection.accept(contact(ContactState.BLOCKED, Optional.of(blocked)));
        protection.removed(contact(ContactState.ACCEPTED, Optional.of(deleted)));

        assertThat(calls).containsExactly("protect " + blocked + " contact/1", "protect " + deleted + " contact/1",
                "unprotect " + blocked + " contact/1", "unprotect " + deleted + " contact/1");
    }

    private static PeerId randomPeer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    private static Contact contact(ContactState state, Optional<PeerId> device) {
        byte[] key = new byte[UserId.KEY_BYTES];
        key[0] = (byte) state.ordinal();
        Instant now = Instant.parse("2026-12-03T12:00:00Z");
        return new Contact(1, UserId.fromPublicKeyBytes(key), Optional.empty(), Optional.empty(), state,
                Optional.empty(), false, false, List.of(), device.map(PeerId::toBase58), OptionalInt.empty(),
                ConversationId.random(), now, now);
    }
}
