package org.parley.chat.session;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.parley.chat.identity.UserId;
import org.signal.libsignal.protocol.fingerprint.Fingerprint;
import org.signal.libsignal.protocol.fingerprint.FingerprintParsingException;
import org.signal.libsignal.protocol.fingerprint.FingerprintVersionMismatchException;
import org.signal.libsignal.protocol.fingerprint.NumericFingerprintGenerator;
import org.signal.libsignal.protocol.fingerprint.ScannableFingerprint;

/**
 * The safety number two users compare to verify each other's identity key: libsignal's numeric
 * fingerprint (60 digits, the same on both sides) and its scannable form for a QR code. Immutable, thread safe.
 */
public final class SafetyNumber {

    /**
     * Hash iterations of the fingerprint, as Signal uses: makes finding a key with a chosen
     * fingerprint expensive.
     */
    public static final int ITERATIONS = 5200;

    /** libsignal's fingerprint version for non-phone-number identifiers. */
    private static final int VERSION = 2;

    private final String digits;
    private final ScannableFingerprint scannableFingerprint;
    private final byte[] scannable;

    private SafetyNumber(Fingerprint fingerprint) {
        this.digits = fingerprint.getDisplayableFingerprint().getDisplayText();
        this.scannableFingerprint = fingerprint.getScannableFingerprint();
        this.scannable = scannableFingerprint.getSerialized();
    }

    /** The safety number of the conversation between {@code local} and {@code remote}, as {@code local} sees it. */
    public static SafetyNumber between(UserId local, UserId remote) {
        return new SafetyNumber(new NumericFingerprintGenerator(ITERATIONS).createFor(VERSION,
                local.text().getBytes(StandardCharsets.US_ASCII), local.identityKey(),
                remote.text().getBytes(StandardCharsets.US_ASCII), remote.identityKey()));
    }

    /** The 60 digits. */
    public String digits() {
        return digits;
    }

    /** The digits in 12 groups of 5, as people read them out. */
    public String grouped() {
        StringBuilder out = new StringBuilder(digits.length() + 11);
        for (int i = 0; i < digits.length(); i += 5) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(digits, i, Math.min(i + 5, digits.length()));
        }
        return out.toString();
    }

    /** The bytes to put in a QR code for the other side to scan. */
    public byte[] scannable() {
        return scannable.clone();
    }

    /**
     * Whether a code scanned from the other side's screen shows the same two keys.
     *
     * @throws IllegalArgumentException with a message for the user if the code is not a safety
     *     number code of this version
     */
    public boolean matchesScanned(byte[] scanned) {
        try {
            return scannableFingerprint.compareTo(scanned);
        } catch (FingerprintVersionMismatchException e) {
            throw new IllegalArgumentException("the scanned safety number code is of another version: both of you "
                    + "should update Parley and compare again", e);
        } catch (FingerprintParsingException e) {
            throw new IllegalArgumentException("the scanned code is not a safety number code: scan the code shown on "
                    + "your contact's safety number screen", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetyNumber s && digits.equals(s.digits) && Arrays.equals(scannable, s.scannable);
    }

    @Override
    public int hashCode() {
        return digits.hashCode();
    }

    @Override
    public String toString() {
        return grouped();
    }
}
