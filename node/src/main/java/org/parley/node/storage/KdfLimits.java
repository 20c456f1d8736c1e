package org.parley.node.storage;

import com.goterl.lazysodium.interfaces.PwHash;

/**
 * How hard Argon2id works to turn a passphrase into the key that wraps {@code storage.key}:
 * passes over memory ({@code opsLimit}) and memory in bytes ({@code memLimit}). Both are stored
 * in the key file, so a file written with one setting opens under any later default. Immutable.
 */
public record KdfLimits(long opsLimit, long memLimit) {

    /**
     * libsodium's MODERATE (3 passes over 256 MiB, about a second here): a passphrase is typed
     * once per start, so a second is affordable, and it makes each guess of an offline attacker
     * cost the same second and 256 MiB.
     */
    public static final KdfLimits MODERATE =
            new KdfLimits(PwHash.ARGON2ID_OPSLIMIT_MODERATE, PwHash.ARGON2ID_MEMLIMIT_MODERATE);

    /** libsodium's minimum (1 pass, 8 KiB): only for tests, which must not spend 256 MiB per key. */
    static final KdfLimits MIN = new KdfLimits(PwHash.ARGON2ID_OPSLIMIT_MIN, PwHash.ARGON2ID_MEMLIMIT_MIN);

    /**
     * The most passes a key file may ask for: 4 times libsodium's SENSITIVE, so a changed file
     * cannot make the node spin for minutes at start.
     */
    static final long MAX_OPS_LIMIT = 4 * PwHash.ARGON2ID_OPSLIMIT_SENSITIVE;
    /** The most memory a key file may ask for: libsodium's SENSITIVE (1 GiB), a laptop's affordable maximum. */
    static final long MAX_MEM_LIMIT = PwHash.ARGON2ID_MEMLIMIT_SENSITIVE;

    /** Whether a key file may ask for these limits: within libsodium's minimum and our maxima. */
    boolean acceptable() {
        return opsLimit >= PwHash.ARGON2ID_OPSLIMIT_MIN && opsLimit <= MAX_OPS_LIMIT
                && memLimit >= PwHash.ARGON2ID_MEMLIMIT_MIN && memLimit <= MAX_MEM_LIMIT;
    }
}
