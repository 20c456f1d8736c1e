package org.parley.chat.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalInt;
import org.parley.chat.identity.UserId;

/**
 * A device's prekey bundle as it travels on {@code /parley/prekeys/1.0.0}: what a peer needs to
 * start a PQXDH session with that device without it being online for the handshake. Keys are in
 * libsignal's serialized forms; the session layer turns them into libsignal objects, which checks
 * the signatures. Immutable.
 */
public record PrekeyBundleMessage(
        int registrationId,
        int deviceId,
        UserId identity,
        int signedPrekeyId,
        byte[] signedPrekey,
        byte[] signedPrekeySignature,
        OptionalInt oneTimePrekeyId,
        byte[] oneTimePrekey,
        int kyberPrekeyId,
        byte[] kyberPrekey,
        byte[] kyberPrekeySignature) {

    /** Signal clients draw registration ids from 14 bits; libsignal takes any, we take theirs. */
    public static final int MAX_REGISTRATION_ID = 0x3FFF;

    /** Prekey ids are 24-bit in every Signal client (Medium.MAX_VALUE); a larger one is garbage. */
    public static final int MAX_PREKEY_ID = 0xFFFFFF;

    /** A serialized Curve25519 public key: type byte 0x05 and 32 bytes. */
    public static final int EC_PUBLIC_KEY_BYTES = 33;

    /** An XEdDSA signature. */
    public static final int SIGNATURE_BYTES = 64;

    /** A serialized Kyber-1024 public key: type byte 0x08 and 1,568 bytes. */
    public static final int KYBER_PUBLIC_KEY_BYTES = 1569;

    public PrekeyBundleMessage {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(oneTimePrekeyId, "oneTimePrekeyId");
        check(registrationId >= 1 && registrationId <= MAX_REGISTRATION_ID,
                "registration id " + registrationId + " is outside 1.." + MAX_REGISTRATION_ID);
        check(deviceId >= 1 && deviceId <= ChatFrame.MAX_DEVICE_ID,
                "device number " + deviceId + " is outside 1.." + ChatFrame.MAX_DEVICE_ID);
        checkId(signedPrekeyId, "signed prekey");
        checkId(kyberPrekeyId, "Kyber prekey");
        check(signedPrekey.length == EC_PUBLIC_KEY_BYTES, "signed prekey of " + signedPrekey.length
                + " bytes; expected " + EC_PUBLIC_KEY_BYTES);
        check(signedPrekeySignature.length == SIGNATURE_BYTES, "signed prekey signature of "
                + signedPrekeySignature.length + " bytes; expected " + SIGNATURE_BYTES);
        check(kyberPrekey.length == KYBER_PUBLIC_KEY_BYTES, "Kyber prekey of " + kyberPrekey.length
                + " bytes; expected " + KYBER_PUBLIC_KEY_BYTES);
        check(kyberPrekeySignature.length == SIGNATURE_BYTES, "Kyber prekey signature of "
                + kyberPrekeySignature.length + " bytes; expected " + SIGNATURE_BYTES);
        if (oneTimePrekeyId.isPresent()) {
            checkId(oneTimePrekeyId.getAsInt(), "one-time prekey");
            check(oneTimePrekey.length == EC_PUBLIC_KEY_BYTES, "one-time prekey of " + oneTimePrekey.length
                    + " bytes; expected " + EC_PUBLIC_KEY_BYTES);
        } else {
            check(oneTimePrekey.length == 0, "a one-time prekey of " + oneTimePrekey.length + " bytes without an id");
        }
        signedPrekey = signedPrekey.clone();
        signedPrekeySignature = signedPrekeySignature.clone();
        oneTimePrekey = oneTimePrekey.clone();
        kyberPrekey = kyberPrekey.clone();
        kyberPrekeySignature = kyberPrekeySignature.clone();
    }

    private static void checkId(int id, String what) {
        check(id >= 1 && id <= MAX_PREKEY_ID, what + " id " + Integer.toUnsignedString(id) + " is outside 1.." + MAX_PREKEY_ID);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public byte[] signedPrekey() {
        return signedPrekey.clone();
    }

    @Override
    public byte[] signedPrekeySignature() {
        return signedPrekeySignature.clone();
    }

    @Override
    public byte[] oneTimePrekey() {
        return oneTimePrekey.clone();
    }

    @Override
    public byte[] kyberPrekey() {
        return kyberPrekey.clone();
    }

    @Override
    public byte[] kyberPrekeySignature() {
        return kyberPrekeySignature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrekeyBundleMessage b && registrationId == b.registrationId && deviceId == b.deviceId
                && identity.equals(b.identity) && signedPrekeyId == b.signedPrekeyId
                && Arrays.equals(signedPrekey, b.signedPrekey)
                && Arrays.equals(signedPrekeySignature, b.signedPrekeySignature)
                && oneTimePrekeyId.equals(b.oneTimePrekeyId) && Arrays.equals(oneTimePrekey, b.oneTimePrekey)
                && kyberPrekeyId == b.kyberPrekeyId && Arrays.equals(kyberPrekey, b.kyberPrekey)
                && Arrays.equals(kyberPrekeySignature, b.kyberPrekeySignature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registrationId, deviceId, identity, signedPrekeyId, oneTimePrekeyId, kyberPrekeyId,
                Arrays.hashCode(signedPrekey), Arrays.hashCode(kyberPrekey));
    }

    @Override
    public String toString() {
        return "PrekeyBundleMessage[" + identity + "/" + deviceId + ", signed " + signedPrekeyId + ", one-time "
                + oneTimePrekeyId + ", Kyber " + kyberPrekeyId + ", signed key "
                + HexFormat.of().formatHex(signedPrekey, 0, 4) + "...]";
    }
}
