package org.parley.node.devices;

import java.io.DataOutputStream;
import java.time.InstantSource;
import java.util.Optional;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.StreamHandler;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;
import org.parley.node.contacts.ContactStore;
import org.parley.node.identity.IdentityService;
import org.parley.node.identity.LocalIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /parley/devices/1.0.0}: answers an ask with the signed list of an identity this
 * node holds (anyone who knows the user ID may ask: the list holds PeerIds, which the rendezvous
 * gives away anyway), and stores a told list of a contact once its signature verifies and it is
 * not older than the one stored. A told list of someone who is not an accepted contact is
 * ignored. Stateless.
 */
final class DeviceListResponder implements StreamHandler {

    private static final Logger log = LoggerFactory.getLogger(DeviceListResponder.class);

    private final DeviceService devices;
    private final IdentityService identities;
    private final ContactStore contacts;
    private final ContactDeviceLists lists;
    private final InstantSource clock;

    DeviceListResponder(DeviceService devices, IdentityService identities, ContactStore contacts,
            ContactDeviceLists lists, InstantSource clock) {
        this.devices = devices;
        this.identities = identities;
        this.contacts = contacts;
        this.lists = lists;
        this.clock = clock;
    }

    @Override
    public void handle(Stream stream) throws Exception {
        try (LinkTimeout timeout = new LinkTimeout(stream)) {
            DeviceListExchange.Request request = DeviceListExchange.read(stream.in());
            DataOutputStream out = new DataOutputStream(stream.out());
            switch (request) {
                case DeviceListExchange.Ask ask -> {
                    Optional<LocalIdentity> local = identities.active().stream()
                            .filter(i -> i.userId().equals(ask.user())).findFirst();
                    if (local.isEmpty()) {
                        out.writeInt(0);
                    } else {
                        byte[] list = devices.signedList(local.get()).encode();
                        out.writeInt(list.length);
                        out.write(list);
                    }
                }
                case DeviceListExchange.AskHistoryKey ask -> {
                    Optional<DeviceStore.HistoryKey> key = identities.active().stream()
                            .filter(i -> i.userId().equals(ask.user())).findFirst()
                            .flatMap(i -> devices.historyKeyFor(i, stream.remotePeer()));
                    if (key.isEmpty()) {
                        out.writeInt(0);
                    } else {
                        out.writeInt(key.get().generation());
                        out.write(key.get().key());
                    }
                }
                case DeviceListExchange.Tell tell -> {
                    if (!tell.list().verify(tell.user().identityKey())) {
                        throw new PeerFaultException("a told device list of " + tell.user() + " is not signed by it");
                    }
                    for (LocalIdentity identity : identities.active()) {
                        if (identity.userId().equals(tell.user())) {
                            if (devices.adoptOwnList(identity, tell.list())) {
                                devices.pullHistoryKey(identity, stream.remotePeer());
                            }
                            continue;
                        }
                        Optional<Contact> contact = contacts.get(identity.rowId(), tell.user());
                        if (contact.isPresent() && contact.get().state() == ContactState.ACCEPTED) {
                            if (lists.putIfNotOlder(identity.rowId(), tell.user(), tell.list(), clock.instant())) {
                                log.info("{} now has {} devices (list version {})", tell.user(),
                                        tell.list().list().devices().size(), tell.list().list().version());
                            }
                        }
                    }
                    out.writeByte(1);
                }
            }
            out.flush();
            stream.closeWrite();
        } catch (PeerFaultException e) {
            log.info("device list stream from {} reset: {}", stream.remotePeer(), e.getMessage());
            stream.reset();
        }
    }
}
