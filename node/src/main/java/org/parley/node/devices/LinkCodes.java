package org.parley.node.devices;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * The link codes this device handed out, held in memory only (a restart forgets them, which only
 * means making a new code): each expires after {@link #LIFETIME} and is spent by its first
 * successful use. Thread safe.
 */
public final class LinkCodes {

    /** How long a code works: long enough to walk to the other device and type it, short enough that a glimpse goes stale. */
    public static final Duration LIFETIME = Duration.ofMinutes(10);

    /**
     * Codes kept at once: a person links one device at a time; the oldest is forgotten past this,
     * so repeated clicks cannot grow memory.
     */
    static final int MAX_CODES = 16;

    /** Wrong proofs a code survives: a typo'd retry is fine, a peer trying secrets loses the code. */
    static final int MAX_FAILED_PROOFS = 3;

    /** How long a spent or expired code is remembered, so its reuse is reported as such rather than as wrong. */
    static final Duration REMEMBER = Duration.ofHours(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One issued code's state. */
    private static final class Issued {
        final byte[] secret;
        final long identityRow;
        final Instant expires;
        boolean used;
        int failedProofs;

        Issued(byte[] secret, long identityRow, Instant expires) {
            this.secret = secret;
            this.identityRow = identityRow;
            this.expires = expires;
        }
    }

    /** A code that may be redeemed now: its secret (for the proof) and the identity it links. */
    record Live(byte[] secret, long identityRow) {}

    private final InstantSource clock;
    private final Map<String, Issued> codes = new LinkedHashMap<>();

    public LinkCodes(InstantSource clock) {
        this.clock = clock;
    }

    /** A new code for identity {@code identityRow} of the device {@code device}, dialable at {@code addresses}. */
    public synchronized Issue issue(long identityRow, PeerId device, List<Multiaddr> addresses) {
        prune();
        byte[] secret = new byte[LinkCode.SECRET_BYTES];
        RANDOM.nextBytes(secret);
        Instant expires = clock.instant().plus(LIFETIME);
        LinkCode code = new LinkCode(device, LinkCode.fitting(addresses), secret);
        codes.put(key(code.id()), new Issued(secret, identityRow, expires));
        while (codes.size() > MAX_CODES) {
            Iterator<String> oldest = codes.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return new Issue(code, expires);
    }

    /** A code handed out and when it stops working. */
    public record Issue(LinkCode code, Instant expires) {}

    /**
     * The code with id {@code id}, if it may be used now.
     *
     * @throws LinkException WRONG for an unknown id, EXPIRED, or USED
     */
    synchronized Live find(byte[] id) throws LinkException {
        Issued issued = codes.get(key(id));
        if (issued == null) {
            throw refusal(LinkException.Reason.WRONG);
        }
        if (issued.used) {
            throw refusal(LinkException.Reason.USED);
        }
        if (!clock.instant().isBefore(issued.expires)) {
            throw refusal(LinkException.Reason.EXPIRED);
        }
        return new Live(issued.secret.clone(), issued.identityRow);
    }

    /**
     * Spends the code: true if it was still live (the caller then links), false if another link
     * spent it first or it expired meanwhile.
     */
    synchronized boolean spend(byte[] id) {
        Issued issued = codes.get(key(id));
        if (issued == null || issued.used || !clock.instant().isBefore(issued.expires)) {
            return false;
        }
        issued.used = true;
        return true;
    }

    /** Counts a wrong proof for the code; after {@link #MAX_FAILED_PROOFS} it is spent. */
    synchronized void failedProof(byte[] id) {
        Issued issued = codes.get(key(id));
        if (issued != null && ++issued.failedProofs >= MAX_FAILED_PROOFS) {
            issued.used = true;
        }
    }

    private void prune() {
        Instant forgetBefore = clock.instant().minus(REMEMBER);
        codes.values().removeIf(i -> i.expires.isBefore(forgetBefore));
    }

    private static String key(byte[] id) {
        return HexFormat.of().formatHex(id);
    }

    private static LinkException refusal(LinkException.Reason reason) {
        return new LinkException(reason, LinkException.explain(reason));
    }
}
