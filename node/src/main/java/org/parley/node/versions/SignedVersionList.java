package org.parley.node.versions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.Ed25519PublicKey;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.peer.PeerId;

/**
 * The file a maintainer publishes: an {@link UnsafeVersionList}'s JSON text with an Ed25519
 * signature over it.
 *
 * <pre>
 * {"format": "parley-unsafe-versions/1", "list": "{\"entries\": [...]}", "signature": "&lt;base64&gt;"}
 * </pre>
 *
 * The signature covers {@code parley-unsafe-versions/1\n} followed by the list text's UTF-8 bytes
 * exactly as they stand (so no JSON re-encoding can change what was signed); the prefix keeps a
 * signature made for anything else from passing as one. The key is named by its PeerId
 * ({@code 12D3KooW...}, which holds an Ed25519 public key), so a node's own key can sign too.
 * Stateless.
 */
public final class SignedVersionList {

    /** The {@code format} value, and the prefix of the signed bytes. */
    public static final String FORMAT = "parley-unsafe-versions/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SignedVersionList() {}

    /**
     * Signs {@code listJson} (checked to be a valid list first) with {@code key}; returns the file's text.
     */
    public static String sign(String listJson, Ed25519PrivateKey key) throws InvalidVersionListException {
        UnsafeVersionList.parse(listJson);
        ObjectNode file = JSON.createObjectNode();
        file.put("format", FORMAT);
        file.put("list", listJson);
        file.put("signature", Base64.getEncoder().encodeToString(key.sign(signedBytes(listJson))));
        return file.toPrettyString() + "\n";
    }

    /**
     * The list in {@code fileText} if {@code signer}'s key signed it.
     *
     * @throws InvalidVersionListException when the file is malformed, or its signature is not
     *     {@code signer}'s over this list (the message says which)
     */
    public static UnsafeVersionList open(String fileText, Ed25519PublicKey signer) throws InvalidVersionListException {
        JsonNode root;
        try {
            root = JSON.readTree(fileText);
        } catch (JsonProcessingException e) {
            throw new InvalidVersionListException("it is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
            throw new InvalidVersionListException("it is not a signed unsafe-version list (\"format\": \"" + FORMAT
                    + "\"); sign the list with 'parley unsafe-versions sign'");
        }
        if (!root.path("list").isTextual() || !root.path("signature").isTextual()) {
            throw new InvalidVersionListException("it needs a \"list\" string and a \"signature\" string");
        }
        String list = root.get("list").asText();
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(root.get("signature").asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidVersionListException("its signature is not base64", e);
        }
        if (signature.length != Ed25519PublicKey.SIGNATURE_BYTES || !signer.verify(signedBytes(list), signature)) {
            throw new InvalidVersionListException("its signature does not match the pinned key "
                    + PeerId.fromPublicKey(signer).toBase58() + " (unsafeVersionsKey)");
        }
        return UnsafeVersionList.parse(list);
    }

    /**
     * The Ed25519 public key a PeerId names, for the {@code unsafeVersionsKey} setting.
     *
     * @throws IllegalArgumentException with what to write instead, when {@code text} is no Ed25519 PeerId
     */
    public static Ed25519PublicKey pinnedKey(String text) {
        PeerId peer;
        try {
            peer = PeerId.parse(text.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unsafeVersionsKey '" + text + "' is not a key ID; give the 12D3KooW..."
                    + " ID that 'parley unsafe-versions sign' printed", e);
        }
        PublicKey key = peer.inlinedPublicKey();
        if (!(key instanceof Ed25519PublicKey ed25519)) {
            throw new IllegalArgumentException("unsafeVersionsKey '" + text + "' is not an Ed25519 key ID (12D3KooW...);"
                    + " give the ID that 'parley unsafe-versions sign' printed");
        }
        return ed25519;
    }

    private static byte[] signedBytes(String list) {
        return (FORMAT + "\n" + list).getBytes(StandardCharsets.UTF_8);
    }
}
