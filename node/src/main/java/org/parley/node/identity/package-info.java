/**
 * Identities: the user identities this node holds ({@link org.parley.node.identity.LocalIdentities},
 * private keys sealed in the database; {@link org.parley.node.identity.IdentityService} creates the
 * first at start, creates and retires more, resolves {@code --identity} and builds invite links),
 * and finding users on the DHT: each active identity's rendezvous key ({@code ChatRendezvous}) is
 * announced by the chat feature through a {@link org.parley.node.identity.RendezvousAnnouncer}.
 * The device-key rendezvous ({@link org.parley.node.identity.UserRendezvous}) is still announced
 * too, because {@code find-user PEER_ID} ({@link org.parley.node.identity.UserDirectory}) finds a
 * device by its PeerId through it.
 */
package org.parley.node.identity;
