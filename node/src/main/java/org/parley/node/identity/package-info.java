/**
 * Parley identities on the DHT: the user rendezvous key
 * ({@link org.parley.node.identity.UserRendezvous}) under which a user's devices announce
 * themselves, the {@link org.parley.node.identity.RendezvousAnnouncer} that announces this
 * device under it, and {@link org.parley.node.identity.UserDirectory}, which finds a user's online
 * devices by it. Until identities exist the device key stands in for the identity key.
 */
package org.parley.node.identity;
