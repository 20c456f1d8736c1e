package org.parley.files.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.FileKey;
import org.parley.libp2p.core.PeerFaultException;

class ManifestCodecTest {

    private static final byte[] ROOT = new byte[32];
    private static final Instant CREATED = Instant.parse("2026-12-03T18:00:00.123Z");

    static {
        Arrays.fill(ROOT, (byte) 0xAB);
    }

    private static Manifest sample() {
        byte[] sealedName = new byte[20];
        Arrays.fill(sealedName, (byte) 7);
        return new Manifest(sealedName, 1_000_000, ChunkSizes.DEFAULT_CHUNK_SIZE, ROOT, CREATED);
    }

    @Test
    void encodesTheLayoutDrawnInTheCodec() {
        String hex = HexFormat.of().formatHex(ManifestCodec.encode(sample()));
        assertThat(hex).isEqualTo("01" + "14" + "07".repeat(20) + "c0843d" + "12" + "ab".repeat(32) + "fbdac0e8a334");
    }

    @Test
    void roundTripsAndKeepsTheFileId() throws PeerFaultException {
        Manifest m = sample();
        byte[] bytes = m.encode();
        Manifest back = ManifestCodec.decode(bytes);
        assertThat(back).isEqualTo(m);
        assertThat(back.fileId()).isEqualTo(m.fileId()).isEqualTo(FileId.ofManifest(bytes));
        assertThat(back.chunkCount()).isEqualTo(4);
        assertThat(back.plainLength(3)).isEqualTo(1_000_000 - 3 * 262_144);
    }

    @Test
    void theSealedNameOpensOnlyWithTheFileKey() throws Exception {
        FileKey key = FileKey.generate();
        byte[] sealed;
        try (ChunkCipher cipher = new ChunkCipher(key)) {
            sealed = cipher.sealName("report.pdf".getBytes(StandardCharsets.UTF_8));
        }
        Manifest m = ManifestCodec.decode(new Manifest(sealed, 10, ChunkSizes.DEFAULT_CHUNK_SIZE, ROOT, CREATED).encode());
        try (ChunkCipher cipher = new ChunkCipher(key)) {
            assertThat(new String(cipher.openName(m.sealedName()), StandardCharsets.UTF_8)).isEqualTo("report.pdf");
        }
        try (ChunkCipher other = new ChunkCipher(FileKey.generate())) {
            assertThatThrownBy(() -> other.openName(m.sealedName())).isInstanceOf(javax.crypto.AEADBadTagException.class);
        }
    }

    @Test
    void rejectsEachBadFieldByName() {
        byte[] good = sample().encode();
        byte[] badVersion = good.clone();
        badVersion[0] = 2;
        assertDecodeFails(badVersion, "manifest format version 2 is not supported (expected 1)");
        byte[] badChunk = good.clone();
        badChunk[1 + 1 + 20 + 3] = 17;
        assertDecodeFails(badChunk, "manifest chunk size 2^17 is outside 2^18..2^24");
        assertDecodeFails(Arrays.copyOf(good, good.length + 1), "manifest has 1 trailing bytes");
        assertDecodeFails(Arrays.copyOf(good, 30), "manifest ends inside its Merkle root");
        assertDecodeFails(new byte[0], "manifest is empty");
        assertDecodeFails(new byte[] {1, 5}, "manifest sealed name of 5 bytes is outside 17..271");
        assertDecodeFails(new byte[ManifestCodec.MAX_ENCODED_BYTES + 1],
                "manifest of " + (ManifestCodec.MAX_ENCODED_BYTES + 1) + " bytes exceeds the limit of " + ManifestCodec.MAX_ENCODED_BYTES);
    }

    @Test
    void rejectsMoreChunksThanAManifestMayHave() {
        byte[] sealedName = new byte[20];
        assertThatThrownBy(() -> new Manifest(sealedName, 4097L * ChunkSizes.DEFAULT_CHUNK_SIZE, ChunkSizes.DEFAULT_CHUNK_SIZE, ROOT, CREATED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file size 1074003968 in chunks of 262144 makes more than 4096 chunks");
    }

    @Test
    void chunkSizesGrowInPowersOfTwoToKeepAtMost4096Chunks() {
        assertThat(ChunkSizes.forFileSize(1)).isEqualTo(256 * 1024);
        assertThat(ChunkSizes.forFileSize(1L << 30)).isEqualTo(256 * 1024);
        assertThat(ChunkSizes.forFileSize((1L << 30) + 1)).isEqualTo(512 * 1024);
        assertThat(ChunkSizes.forFileSize(10L << 30)).isEqualTo(4 * 1024 * 1024);
        assertThat(ChunkSizes.forFileSize(ChunkSizes.MAX_FILE_SIZE)).isEqualTo(ChunkSizes.MAX_CHUNK_SIZE);
        assertThatThrownBy(() -> ChunkSizes.forFileSize(ChunkSizes.MAX_FILE_SIZE + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertDecodeFails(byte[] bytes, String message) {
        assertThatThrownBy(() -> ManifestCodec.decode(bytes)).isInstanceOf(PeerFaultException.class).hasMessage(message);
    }
}
