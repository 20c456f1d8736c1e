package org.parley.files.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.ChunkCipherSuite;
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
    void aFormat2ManifestNamesItsCipherAndRoundTrips() throws PeerFaultException {
        Manifest m = new Manifest(ChunkCipherSuite.AES_256_GCM, new byte[20], 1_000_000, ChunkSizes.DEFAULT_CHUNK_SIZE, ROOT, CREATED);
        byte[] bytes = m.encode();
        assertThat(HexFormat.of().formatHex(bytes)).startsWith("0202" + "14");
        Manifest back = ManifestCodec.decode(bytes);
        assertThat(back).isEqualTo(m).isNotEqualTo(sample());
        assertThat(back.cipher()).isEqualTo(ChunkCipherSuite.AES_256_GCM);
        assertThat(back.fileId()).isEqualTo(FileId.ofManifest(bytes));
        assertThat(sample().cipher()).as("format 1").isEqualTo(ChunkCipherSuite.CHACHA20_POLY1305);
    }

    @ParameterizedTest
    @EnumSource(ChunkCipherSuite.class)
    void theSealedNameOpensOnlyWithTheFileKeyAndItsCipher(ChunkCipherSuite suite) throws Exception {
        FileKey key = FileKey.generate();
        byte[] sealed;
        try (ChunkCipher cipher = new ChunkCipher(key, suite)) {
            sealed = cipher.sealName("report.pdf".getBytes(StandardCharsets.UTF_8));
        }
        Manifest m = ManifestCodec.decode(new Manifest(suite, sealed, 10, ChunkSizes.DEFAULT_CHUNK_SIZE, ROOT, CREATED).encode());
        assertThat(m.cipher()).isEqualTo(suite);
        try (ChunkCipher cipher = new ChunkCipher(key, m.cipher())) {
            assertThat(new String(cipher.openName(m.sealedName()), StandardCharsets.UTF_8)).isEqualTo("report.pdf");
        }
        try (ChunkCipher other = new ChunkCipher(FileKey.generate(), suite)) {
            assertThatThrownBy(() -> other.openName(m.sealedName())).isInstanceOf(javax.crypto.AEADBadTagException.class);
        }
        ChunkCipherSuite otherSuite = suite == ChunkCipherSuite.AES_256_GCM ? ChunkCipherSuite.CHACHA20_POLY1305 : ChunkCipherSuite.AES_256_GCM;
        try (ChunkCipher wrongCipher = new ChunkCipher(key, otherSuite)) {
            assertThatThrownBy(() -> wrongCipher.openName(m.sealedName())).isInstanceOf(javax.crypto.AEADBadTagException.class);
        }
    }

    @Test
    void rejectsEachBadFieldByName() {
        byte[] good = sample().encode();
        byte[] badVersion = good.clone();
        badVersion[0] = 3;
        assertDecodeFails(badVersion, "manifest format version 3 is not supported (expected 1 or 2); is this node out of date?");
        assertDecodeFails(new byte[] {2}, "manifest ends before its cipher");
        assertDecodeFails(new byte[] {2, 9, 20}, "manifest names chunk cipher 9, which this node does not know; is it out of date?");
        byte[] chachaAsFormat2 = new byte[good.length + 1];
        chachaAsFormat2[0] = 2;
        chachaAsFormat2[1] = (byte) ChunkCipherSuite.CHACHA20_POLY1305.code;
        System.arraycopy(good, 1, chachaAsFormat2, 2, good.length - 1);
        assertDecodeFails(chachaAsFormat2, "manifest format 2 names ChaCha20-Poly1305, which is always written as format 1");
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
