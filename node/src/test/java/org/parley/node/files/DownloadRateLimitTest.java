package org.parley.node.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.service.ServiceException;
import org.parley.node.storage.KeyValueStore;
import org.parley.node.storage.NodeStorage;
import org.parley.node.storage.PassphraseSource;

/** The download limit setting on a real database: its default, its checks, and a reopen. */
class DownloadRateLimitTest {

    @TempDir
    Path dir;

    private NodeStorage open() throws Exception {
        return NodeStorage.open(dir.resolve("storage.key"), dir.resolve("parley.db"), PassphraseSource.of(null));
    }

    @Test
    void noLimitByDefaultThenASetLimitIsKeptAcrossAReopenAndDrivesTheBucket() throws Exception {
        try (NodeStorage storage = open()) {
            DownloadRateLimit limit = DownloadRateLimit.load(storage.keyValueStore(DownloadRateLimit.NAMESPACE));
            assertThat(limit.bytesPerSecond()).isEqualTo(DownloadRateLimit.UNLIMITED);
            assertThat(limit.set(256 * 1024)).isEqualTo(256 * 1024);
            assertThat(limit.bucket().rate()).isEqualTo(256 * 1024);
        }
        try (NodeStorage storage = open()) {
            DownloadRateLimit limit = DownloadRateLimit.load(storage.keyValueStore(DownloadRateLimit.NAMESPACE));
            assertThat(limit.bytesPerSecond()).isEqualTo(256 * 1024);
            limit.set(DownloadRateLimit.UNLIMITED);
            assertThat(limit.bucket().rate()).isEqualTo(TokenBucket.UNLIMITED);
        }
        try (NodeStorage storage = open()) {
            assertThat(DownloadRateLimit.load(storage.keyValueStore(DownloadRateLimit.NAMESPACE)).bytesPerSecond())
                    .isEqualTo(DownloadRateLimit.UNLIMITED);
        }
    }

    @Test
    void aLimitOutsideTheRangeIsRefusedAndChangesNothing() throws Exception {
        try (NodeStorage storage = open()) {
            DownloadRateLimit limit = DownloadRateLimit.load(storage.keyValueStore(DownloadRateLimit.NAMESPACE));
            limit.set(DownloadRateLimit.MIN_BYTES_PER_SECOND);
            for (long wrong : new long[] {-1, 1, DownloadRateLimit.MIN_BYTES_PER_SECOND - 1,
                    DownloadRateLimit.MAX_BYTES_PER_SECOND + 1}) {
                assertThatThrownBy(() -> limit.set(wrong)).isInstanceOf(ServiceException.class)
                        .hasMessageContaining("a download limit is 0 (no limit) or " + DownloadRateLimit.MIN_BYTES_PER_SECOND);
            }
            assertThat(limit.bytesPerSecond()).isEqualTo(DownloadRateLimit.MIN_BYTES_PER_SECOND);
        }
    }

    @Test
    void aStoredValueThatDoesNotParseOrIsOutOfRangeMeansNoLimit() throws Exception {
        try (NodeStorage storage = open()) {
            KeyValueStore store = storage.keyValueStore(DownloadRateLimit.NAMESPACE);
            for (String stored : new String[] {"fast", "12", "99999999999999999999999", "-5"}) {
                store.put(DownloadRateLimit.KEY, stored.getBytes(StandardCharsets.US_ASCII));
                assertThat(DownloadRateLimit.load(store).bytesPerSecond()).as(stored)
                        .isEqualTo(DownloadRateLimit.UNLIMITED);
            }
        }
    }
}
