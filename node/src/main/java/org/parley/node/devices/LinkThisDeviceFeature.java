package org.parley.node.devices;

import java.io.IOException;
import java.util.Optional;
import org.parley.node.api.LinkThisDeviceRoutes;
import org.parley.node.feature.Feature;
import org.parley.node.feature.FeatureContext;
import org.parley.node.feature.FeatureParts;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.storage.StorageException;

/**
 * The page's equivalent of {@code --link CODE}: {@code /api/devices/link-this}, which hands a code
 * to the {@link DeviceRelinker} running this node while the node is still fresh ({@link
 * FreshNode}). Runs after the devices and chat features (it reads the identity chat made at
 * first start, and the device list). Where the devices feature does not run (no libsignal), it
 * refuses with that reason.
 */
public final class LinkThisDeviceFeature implements Feature {

    private final DeviceRelinker relinker;

    public LinkThisDeviceFeature(DeviceRelinker relinker) {
        this.relinker = relinker;
    }

    @Override
    public String name() {
        return "link-this-device";
    }

    @Override
    public FeatureParts start(FeatureContext context) throws IOException {
        Optional<DeviceService> devices = context.services().get(DeviceService.class);
        LocalIdentities identities = new LocalIdentities(context.storage().database(), context.storage().cipher());
        LinkThisDeviceRoutes.Freshness freshness = () -> {
            if (devices.isEmpty()) {
                return Optional.of("no device support (libsignal did not load)");
            }
            try {
                return FreshNode.holds(context.storage().database(), identities, devices.get());
            } catch (StorageException e) {
                return Optional.of("a database it cannot read (" + e.getMessage() + ")");
            }
        };
        return FeatureParts.routes(new LinkThisDeviceRoutes(relinker, freshness));
    }
}
