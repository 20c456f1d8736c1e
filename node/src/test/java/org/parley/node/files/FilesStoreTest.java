package org.parley.node.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.storage.NodeStorage;
import org.parley.node.storage.PassphraseSource;

class FilesStoreTest {

    @TempDir
    Path dir;

    private NodeStorage open() throws Exception {
        return NodeStorage.open(dir.resolve("storage.key"), dir.resolve("parley.db"), PassphraseSource.of(null));
    }

    @Test
    void sharesAndDownloadsComeBackAfterAReopen() throws Exception {
        byte[] key = new byte[32];
        key[0] = 7;
        try (NodeStorage storage = open()) {
            FilesStore store = new FilesStore(storage.database(), storage.cipher());
            store.putShare("bshare", Path.of("/home/me/secret-plans.pdf"), key, new byte[] {1, 2, 3});
            store.putDownload("bdown", "magnet:?xt=urn:parley:bdown&dn=holiday.mov", Path.of("/home/me/Downloads"),
                    "running");
            store.setDownloadState("bdown", "paused");
        }
        try (NodeStorage storage = open()) {
            FilesStore store = new FilesStore(storage.database(), storage.cipher());
            FilesStore.StoredShare share = store.shares().getFirst();
            assertThat(share.fileId()).isEqualTo("bshare");
            assertThat(share.path()).isEqualTo(Path.of("/home/me/secret-plans.pdf"));
            assertThat(share.key()).isEqualTo(key);
            assertThat(share.manifest()).containsExactly(1, 2, 3);
            assertThat(store.downloads()).containsExactly(new FilesStore.StoredDownload("bdown",
                    "magnet:?xt=urn:parley:bdown&dn=holiday.mov", Path.of("/home/me/Downloads"), "paused"));

            assertThat(store.deleteShare("bshare")).isTrue();
            assertThat(store.deleteShare("bshare")).isFalse();
            assertThat(store.deleteDownload("bdown")).isTrue();
            assertThat(store.shares()).isEmpty();
            assertThat(store.downloads()).isEmpty();
        }
    }

    @Test
    void pathsAndLinksNeverReachTheDatabaseFileInTheClear() throws Exception {
        try (NodeStorage storage = open()) {
            FilesStore store = new FilesStore(storage.database(), storage.cipher());
            store.putShare("bshare", Path.of("/home/me/secret-plans.pdf"), new byte[32], new byte[] {1});
            store.putDownload("bdown", "magnet:?xt=urn:parley:bdown&dn=holiday.mov&x.key=bkeykeykey",
                    Path.of("/home/me/Downloads"), "running");
        }
        String raw = new String(Files.readAllBytes(dir.resolve("parley.db")), StandardCharsets.ISO_8859_1)
                + (Files.exists(dir.resolve("parley.db-wal"))
                        ? new String(Files.readAllBytes(dir.resolve("parley.db-wal")), StandardCharsets.ISO_8859_1) : "");
        assertThat(raw).contains("bshare").doesNotContain("secret-plans").doesNotContain("holiday")
                .doesNotContain("bkeykeykey").doesNotContain("/home/me");
    }
}
