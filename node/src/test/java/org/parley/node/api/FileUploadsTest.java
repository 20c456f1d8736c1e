package org.parley.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads are checked before writing, land whole under a safe name, and leave nothing when they fail. */
class FileUploadsTest {

    @TempDir
    Path dir;

    private static final long PLENTY = Long.MAX_VALUE / 2;

    @Test
    void writesTheBytesUnderTheCleanedNameAndNeverOverwrites() throws Exception {
        FileUploads uploads = new FileUploads(dir, d -> PLENTY);
        byte[] first = "first".getBytes();
        byte[] second = "second".getBytes();

        Path a = uploads.write("../../etc/report.pdf", first.length, new ByteArrayInputStream(first));
        Path b = uploads.write("report.pdf", second.length, new ByteArrayInputStream(second));

        assertThat(a).isEqualTo(dir.resolve("report.pdf"));
        assertThat(b).isEqualTo(dir.resolve("report (2).pdf"));
        assertThat(a).hasBinaryContent(first);
        assertThat(b).hasBinaryContent(second);
        assertThat(dir).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void cleansNamesThatWouldHideOrEscape() {
        assertThat(FileUploads.cleanName("C:\\Users\\al\\notes.txt")).isEqualTo("notes.txt");
        assertThat(FileUploads.cleanName("...hidden")).isEqualTo("hidden");
        assertThat(FileUploads.cleanName("a\u0000b\nc")).isEqualTo("abc");
        assertThat(FileUploads.cleanName("../")).isEqualTo(FileUploads.FALLBACK_NAME);
        assertThat(FileUploads.cleanName("é".repeat(300)).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(FileUploads.MAX_NAME_BYTES);
    }

    @Test
    void aFullDiskIsRefusedBeforeAnyByteIsRead() throws Exception {
        FileUploads uploads = new FileUploads(dir, d -> FileUploads.DISK_RESERVE_BYTES + 10);
        AtomicBoolean read = new AtomicBoolean();
        InputStream body = new InputStream() {
            @Override
            public int read() {
                read.set(true);
                return -1;
            }
        };

        assertThatThrownBy(() -> uploads.write("big.bin", 11, body))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(507);
                    assertThat(e.error()).isEqualTo("disk_full");
                })
                .hasMessageContaining("the disk is full").hasMessageContaining("free some space");
        assertThat(read).isFalse();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void refusesMissingZeroAndOversizedLengthsBeforeReading() {
        FileUploads uploads = new FileUploads(dir, d -> PLENTY);
        InputStream never = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read although the length was refused");
            }
        };

        assertThatThrownBy(() -> uploads.write("x", -1, never)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(411));
        assertThatThrownBy(() -> uploads.write("x", 0, never)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(400)).hasMessageContaining("empty");
        assertThatThrownBy(() -> uploads.write("x", FileUploads.MAX_UPLOAD_BYTES + 1, never))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413));
    }

    @Test
    void aBodyShorterOrLongerThanDeclaredLeavesNothing() throws IOException {
        FileUploads uploads = new FileUploads(dir, d -> PLENTY);

        assertThatThrownBy(() -> uploads.write("short", 10, new ByteArrayInputStream(new byte[4])))
                .hasMessageContaining("ended after 4 of 10 bytes");
        assertThatThrownBy(() -> uploads.write("long", 4, new ByteArrayInputStream(new byte[10])))
                .hasMessageContaining("longer than its Content-Length");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
