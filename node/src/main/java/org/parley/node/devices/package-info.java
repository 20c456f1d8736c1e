/**
 * A user's devices: one-time link codes ({@link org.parley.node.devices.LinkCodes}), the link
 * protocol {@code /parley/link/1.0.0} on both sides ({@link org.parley.node.devices.LinkResponder},
 * {@link org.parley.node.devices.NewDeviceLink} for {@code --link}), the identity-signed, versioned
 * device list ({@link org.parley.node.devices.SignedDeviceList}) and its exchange with contacts on
 * {@code /parley/devices/1.0.0}, the history key per identity ({@link org.parley.node.devices.DeviceStore}),
 * and {@link org.parley.node.devices.DeviceService}, what the API and CLI call.
 * {@link org.parley.node.devices.UserDevices} is the view the sync journal asks (is this PeerId a
 * current device, which were revoked); history sync reads it, and the history keys, through the
 * device service it finds in the node's {@code FeatureServices}, and fills each device's sync
 * state in through {@link org.parley.node.devices.DeviceSyncStatus}. The chat outbox fans out
 * along contacts' lists.
 */
package org.parley.node.devices;
