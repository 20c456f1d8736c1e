package org.parley.node.storage;

import com.goterl.lazysodium.interfaces.AEAD;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.parley.libp2p.crypto.Sodium;

/**
 * Seals a column value with the {@link StorageKey} before it goes into {@code parley.db}, and
 * opens it again: XChaCha20-Poly1305 with a random nonce, and the value's place (its context,
 * {@code table.column:rowkey}) as associated data, so a sealed value copied to another row or
 * column does not open. Thread safe; it shares the key with its creator, who closes both.
 *
 * <pre>
 * offset size
 *  0      1   format version, 1
 *  1     24   nonce (random: 192 bits never repeat by chance)
 * 25      n   ciphertext of the n-byte value
 * 25+n   16   Poly1305 tag over the ciphertext and the associated data
 *             version byte || "parley/column" || 0x00 || context (UTF-8)
 * </pre>
 */
public final class ColumnCipher {

    /** The only sealed format this code writes and reads. */
    static final int VERSION = 1;
    static final int NONCE_BYTES = AEAD.XCHACHA20POLY1305_IETF_NPUBBYTES;
    static final int TAG_BYTES = AEAD.XCHACHA20POLY1305_IETF_ABYTES;
    /** Version, nonce and tag: what sealing adds to a value. */
    public static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;
    private static final byte[] DOMAIN = "parley/column\0".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StorageKey key;

    public ColumnCipher(StorageKey key) {
        this.key = key;
    }

    /**
     * Seals {@code plaintext} for the place named by {@code context}, e.g. {@code "kv.value:chat/draft"}.
     *
     * @return version, nonce and ciphertext, {@link #OVERHEAD} bytes longer than {@code plaintext}
     */
    public byte[] seal(byte[] plaintext, String context) {
        byte[] sealed = new byte[OVERHEAD + plaintext.length];
        sealed[0] = VERSION;
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, sealed, 1, NONCE_BYTES);
        byte[] aad = associatedData(context);
        byte[] ciphertext = new byte[plaintext.length + TAG_BYTES];
        if (!Sodium.get().cryptoAeadXChaCha20Poly1305IetfEncrypt(ciphertext, null, plaintext, plaintext.length,
                aad, aad.length, null, nonce, key.bytes())) {
            throw new IllegalStateException("XChaCha20-Poly1305 refused to seal a " + plaintext.length + "-byte value");
        }
        System.arraycopy(ciphertext, 0, sealed, 1 + NONCE_BYTES, ciphertext.length);
        return sealed;
    }

    /**
     * Opens a value {@link #seal sealed} for the same {@code context} under the same key.
     *
     * @throws SealedValueException if it is too short, of an unknown version, changed, sealed for
     *     another place or under another key
     */
    public byte[] open(byte[] sealed, String context) throws SealedValueException {
        if (sealed.length < OVERHEAD) {
            throw new SealedValueException("sealed value for " + context + " is " + sealed.length
                    + " bytes, shorter than the " + OVERHEAD + " bytes sealing adds");
        }
        if (sealed[0] != VERSION) {
            throw new SealedValueException("sealed value for " + context + " has format version " + (sealed[0] & 0xff)
                    + "; this Parley reads version " + VERSION);
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES);
        byte[] ciphertext = Arrays.copyOfRange(sealed, 1 + NONCE_BYTES, sealed.length);
        byte[] plaintext = new byte[ciphertext.length - TAG_BYTES];
        byte[] aad = associatedData(context);
        if (!Sodium.get().cryptoAeadXChaCha20Poly1305IetfDecrypt(plaintext, null, null, ciphertext, ciphertext.length,
                aad, aad.length, nonce, key.bytes())) {
            throw new SealedValueException("sealed value for " + context + " does not open: it was changed, belongs"
                    + " to another row, or was sealed under another storage key");
        }
        return plaintext;
    }

    private static byte[] associatedData(String context) {
        if (context.isEmpty()) {
            throw new IllegalArgumentException("a sealed value needs a context naming its place, e.g. table.column:row");
        }
        byte[] name = context.getBytes(StandardCharsets.UTF_8);
        byte[] aad = new byte[1 + DOMAIN.length + name.length];
        aad[0] = VERSION;
        System.arraycopy(DOMAIN, 0, aad, 1, DOMAIN.length);
        System.arraycopy(name, 0, aad, 1 + DOMAIN.length, name.length);
        return aad;
    }
}
