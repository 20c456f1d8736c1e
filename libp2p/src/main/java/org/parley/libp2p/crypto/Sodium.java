package org.parley.libp2p.crypto;

import com.goterl.lazysodium.LazySodiumJava;
import com.goterl.lazysodium.SodiumJava;

/**
 * The one libsodium binding of the process (loading it twice wastes native memory).
 * Thread safe: libsodium's functions are reentrant.
 */
public final class Sodium {

    private static final LazySodiumJava SODIUM = new LazySodiumJava(new SodiumJava());

    private Sodium() {}

    public static LazySodiumJava get() {
        return SODIUM;
    }
}
