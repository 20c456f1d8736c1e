package org.parley.node.devices;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.parley.libp2p.peer.PeerId;

/**
 * The proofs of the link protocol: HMAC-SHA256 keyed with the code's secret over a role label,
 * the code id, both PeerIds and a fresh nonce from each side. The PeerIds are the ones the Noise
 * handshake of this very connection authenticated (each is bound to its Noise static key by the
 * handshake's identity signature), and the nonces make each proof good for this exchange only: a
 * proof seen elsewhere, replayed, or relayed by a man in the middle (whose PeerId differs on one
 * side) does not verify. Stateless.
 */
final class LinkProof {

    /** HMAC-SHA256's output. */
    static final int BYTES = 32;

    /** Each side's nonce: 256 random bits. */
    static final int NONCE_BYTES = 32;

    private static final byte[] NEW_DEVICE = "parley/link/v1/new-device".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXISTING_DEVICE = "parley/link/v1/existing-device".getBytes(StandardCharsets.US_ASCII);

    private LinkProof() {}

    /** What the new device (the dialer) sends. */
    static byte[] ofNewDevice(byte[] secret, byte[] codeId, PeerId newDevice, PeerId existing, byte[] newNonce,
            byte[] existingNonce) {
        return mac(NEW_DEVICE, secret, codeId, newDevice, existing, newNonce, existingNonce);
    }

    /** What the existing device sends back with the grant, so the new device knows it holds the code too. */
    static byte[] ofExistingDevice(byte[] secret, byte[] codeId, PeerId newDevice, PeerId existing, byte[] newNonce,
            byte[] existingNonce) {
        return mac(EXISTING_DEVICE, secret, codeId, newDevice, existing, newNonce, existingNonce);
    }

    /** Compares in constant time. */
    static boolean matches(byte[] expected, byte[] presented) {
        return MessageDigest.isEqual(expected, presented);
    }

    private static byte[] mac(byte[] label, byte[] secret, byte[] codeId, PeerId newDevice, PeerId existing,
            byte[] newNonce, byte[] existingNonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            field(mac, label);
            field(mac, codeId);
            field(mac, newDevice.bytes());
            field(mac, existing.bytes());
            field(mac, newNonce);
            field(mac, existingNonce);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    /** Length-prefixed, so no two different field lists hash the same. */
    private static void field(Mac mac, byte[] value) {
        mac.update(new byte[] {(byte) (value.length >>> 8), (byte) value.length});
        mac.update(value);
    }
}
