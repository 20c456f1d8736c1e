package org.parley.node.versions;

import java.net.URI;
import org.parley.libp2p.crypto.Ed25519PublicKey;

/**
 * Where a node gets its unsafe-version list ({@code unsafeVersions}: a file path, or an
 * {@code http://} or {@code https://} URL) and the key it must be signed with
 * ({@code unsafeVersionsKey}). Immutable.
 */
public record UnsafeVersionSource(String location, Ed25519PublicKey key) {

    public UnsafeVersionSource {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("unsafeVersions is empty; give a file path or an https:// URL");
        }
        if (key == null) {
            throw new IllegalArgumentException("unsafeVersions needs unsafeVersionsKey: the key ID (12D3KooW...) the"
                    + " list is signed with, so that nobody else can flag or unflag versions");
        }
    }

    /**
     * The source the two settings describe, or null when neither is set.
     *
     * @throws IllegalArgumentException with what to fix, when only one is set or the key is not a key ID
     */
    public static UnsafeVersionSource of(String location, String key) {
        if (location == null && key == null) {
            return null;
        }
        if (location == null) {
            throw new IllegalArgumentException("unsafeVersionsKey is set but unsafeVersions is not; give the list's"
                    + " file path or URL in unsafeVersions, or remove unsafeVersionsKey");
        }
        return new UnsafeVersionSource(location, key == null ? null : SignedVersionList.pinnedKey(key));
    }

    /** Whether the list is fetched over HTTP rather than read from a file. */
    boolean isUrl() {
        String lower = location.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    URI uri() {
        return URI.create(location);
    }
}
