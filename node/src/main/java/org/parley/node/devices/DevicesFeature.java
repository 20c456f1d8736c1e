package org.parley.node.devices;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.parley.chat.session.LibsignalRuntime;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Subscription;
import org.parley.node.api.DeviceRoutes;
import org.parley.node.chat.GroupChains;
import org.parley.node.contacts.ContactStore;
import org.parley.node.feature.Feature;
import org.parley.node.feature.FeatureContext;
import org.parley.node.feature.FeatureParts;
import org.parley.node.identity.IdentityService;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.identity.LocalIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device linking in the node: with {@code --link CODE} it first makes this node a new device of
 * the user who made the code (before chat starts, so chat finds the linked identity rather than
 * creating one); then it serves {@code /parley/link/1.0.0} for codes this device hands out, and
 * the device endpoints. Runs before the chat feature. Where libsignal does not load, it serves
 * only that reason, and a {@code --link} start fails with it.
 */
public final class DevicesFeature implements Feature {

    private static final Logger log = LoggerFactory.getLogger(DevicesFeature.class);

    private final Optional<String> linkCode;
    private final Supplier<Optional<String>> unavailableReason;

    /** Devices for a node that links nothing at start. */
    public DevicesFeature() {
        this(Optional.empty());
    }

    /** @param linkCode the code of {@code --link}, if the node starts as a new device */
    public DevicesFeature(Optional<String> linkCode) {
        this(linkCode, LibsignalRuntime::unavailableReason);
    }

    DevicesFeature(Optional<String> linkCode, Supplier<Optional<String>> unavailableReason) {
        this.linkCode = linkCode;
        this.unavailableReason = unavailableReason;
    }

    @Override
    public String name() {
        return "devices";
    }

    @Override
    public FeatureParts start(FeatureContext context) throws IOException {
        Optional<String> unavailable = unavailableReason.get();
        if (unavailable.isPresent()) {
            if (linkCode.isPresent()) {
                throw new LinkFailedException(unavailable.get());
            }
            return FeatureParts.routes(DeviceRoutes.unavailable(unavailable.get()));
        }
        var database = context.storage().database();
        var cipher = context.storage().cipher();
        LocalIdentities keys = new LocalIdentities(database, cipher);
        DeviceStore store = new DeviceStore(database, cipher);
        ContactStore contacts = new ContactStore(database, cipher);
        GroupChains groups = new GroupChains(database, cipher);
        if (linkCode.isPresent()) {
            try {
                LocalIdentity linked = NewDeviceLink.link(linkCode.get(), context.host(), keys, store, contacts,
                        groups, context.clock());
                log.info("this node is now device {} of {}", linked.deviceId(), linked.userId());
            } catch (LinkException e) {
                throw new LinkFailedException(e.getMessage());
            }
        }
        IdentityService identities = IdentityService.of(context);
        ContactDeviceLists contactLists = new ContactDeviceLists(database);
        DeviceService service = new DeviceService(identities, keys, store, contacts, contactLists,
                new LinkCodes(context.clock()), context.host(), context.events(), context.clock(), groups);
        context.services().put(DeviceService.class, service);
        // History sync starts after this feature and offers its states then: looked up per request.
        DeviceSyncStatus sync = peer -> context.services().get(DeviceSyncStatus.class)
                .flatMap(status -> status.describe(peer));
        Subscription seen = context.host().subscribe(event -> {
            if (event instanceof HostEvent.PeerIdentified identified) {
                service.seen(identified.peer());
            }
        });
        return new FeatureParts(Map.of(LinkResponder.PROTOCOL_ID, new LinkResponder(service),
                DeviceListExchange.PROTOCOL_ID, new DeviceListResponder(service, identities, contacts, contactLists,
                        context.clock())),
                List.of(DeviceRoutes.of(service, sync)), List.of(seen::close));
    }
}
