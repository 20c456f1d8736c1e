package org.parley.node.devices;

/**
 * The messages of {@code /parley/link/1.0.0}. The new device dials the existing one and sends
 * {@link Hello}; the existing device answers {@link Challenge} (or {@link Refused}); the new
 * device sends {@link Proof}; the existing device answers {@link Granted} (or {@link Refused}).
 * Immutable.
 */
public sealed interface LinkMessage {

    /** Names the code by its id and brings the new device's nonce. */
    record Hello(byte[] codeId, byte[] nonce) implements LinkMessage {}

    /** The existing device's nonce. */
    record Challenge(byte[] nonce) implements LinkMessage {}

    /** The new device's HMAC over both PeerIds and both nonces, keyed with the code's secret. */
    record Proof(byte[] mac) implements LinkMessage {}

    /** The existing device's own proof, and what the new device receives. */
    record Granted(byte[] mac, LinkGrant grant) implements LinkMessage {}

    /** The existing device will not link: the code is wrong, expired or used. */
    record Refused(LinkException.Reason reason) implements LinkMessage {}
}
