package org.parley.node.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;

class SignedVersionListTest {

    private static final String LIST = "{\"entries\": [{\"name\": \"parley\", \"below\": \"0.2.0\", \"reason\": \"old\"}]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ed25519PrivateKey maintainer = Ed25519PrivateKey.generate();

    @Test
    void aListSignedByThePinnedKeyOpens() throws Exception {
        String file = SignedVersionList.sign(LIST, maintainer);

        UnsafeVersionList list = SignedVersionList.open(file, pinned(maintainer));

        assertThat(list.flagging("parley/0.1.9")).map(UnsafeVersionList.Entry::reason).contains("old");
    }

    @Test
    void aListSignedByAnotherKeyIsRefused() throws Exception {
        String file = SignedVersionList.sign(LIST, Ed25519PrivateKey.generate());

        assertThatThrownBy(() -> SignedVersionList.open(file, pinned(maintainer)))
                .isInstanceOf(InvalidVersionListException.class)
                .hasMessageContaining("signature does not match the pinned key");
    }

    @Test
    void aListChangedAfterSigningIsRefused() throws Exception {
        ObjectNode file = (ObjectNode) JSON.readTree(SignedVersionList.sign(LIST, maintainer));
        file.put("list", LIST.replace("0.2.0", "0.1.0"));

        assertThatThrownBy(() -> SignedVersionList.open(file.toString(), pinned(maintainer)))
                .isInstanceOf(InvalidVersionListException.class)
                .hasMessageContaining("signature does not match");
    }

    @Test
    void anUnsignedListOrGarbageIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> SignedVersionList.open(LIST, pinned(maintainer)))
                .isInstanceOf(InvalidVersionListException.class).hasMessageContaining("parley unsafe-versions sign");
        assertThatThrownBy(() -> SignedVersionList.open("{\"format\": \"" + SignedVersionList.FORMAT
                + "\", \"list\": \"{}\", \"signature\": \"not base64!\"}", pinned(maintainer)))
                .isInstanceOf(InvalidVersionListException.class).hasMessageContaining("not base64");
        assertThatThrownBy(() -> SignedVersionList.open("\u0000{", pinned(maintainer)))
                .isInstanceOf(InvalidVersionListException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void thePinnedKeyIsAnEd25519KeyIdAndAnythingElseSaysWhatToGive() {
        String id = PeerId.fromPublicKey(maintainer.publicKey()).toBase58();

        assertThat(SignedVersionList.pinnedKey(id)).isEqualTo(maintainer.publicKey());
        assertThatThrownBy(() -> SignedVersionList.pinnedKey("not-a-key")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12D3KooW");
        assertThatThrownBy(() -> UnsafeVersionSource.of("/tmp/list.json", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs unsafeVersionsKey");
        assertThatThrownBy(() -> UnsafeVersionSource.of(null, id))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsafeVersions is not");
        assertThat(UnsafeVersionSource.of(null, null)).isNull();
    }

    private static org.parley.libp2p.crypto.Ed25519PublicKey pinned(Ed25519PrivateKey key) {
        return SignedVersionList.pinnedKey(PeerId.fromPublicKey(key.publicKey()).toBase58());
    }
}
