package org.parley.chat.session;

import java.util.Locale;
import java.util.Optional;
import org.signal.libsignal.protocol.ecc.ECKeyPair;

/**
 * Tells whether libsignal's native library loads on this machine (its jar carries Linux x86-64,
 * Windows x86-64 and macOS x86-64 and arm64 builds), so the node can start without
 * chat (and say why once) where it does not: another platform, or a C library older than the one
 * libsignal was built against. Thread safe; the check runs once.
 */
public final class LibsignalRuntime {

    private static volatile Optional<String> unavailable;

    private LibsignalRuntime() {}

    /** Empty if libsignal works here; otherwise one sentence for the user saying why chat is off. */
    public static Optional<String> unavailableReason() {
        Optional<String> result = unavailable;
        if (result == null) {
            synchronized (LibsignalRuntime.class) {
                result = unavailable;
                if (result == null) {
                    result = check();
                    unavailable = result;
                }
            }
        }
        return result;
    }

    private static Optional<String> check() {
        try {
            ECKeyPair.generate();
            return Optional.empty();
        } catch (LinkageError e) {
            return Optional.of(reasonFor(e, System.getProperty("os.name"), System.getProperty("os.arch")));
        }
    }

    static String reasonFor(Throwable error, String os, String arch) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "end-to-end encrypted chat is off: Signal's native library (libsignal) does not load on "
                + os + " " + arch.toLowerCase(Locale.ROOT) + " (" + detail + "). Everything else works; chat needs "
                + "Linux or Windows on x86-64, or macOS, with an up-to-date C library";
    }
}
