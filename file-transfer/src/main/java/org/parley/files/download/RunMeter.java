package org.parley.files.download;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import org.parley.files.manifest.Manifest;

/**
 * A download's progress figures: bytes verified overall, and the rate over this run only (since the
 * start or the last resume), so a resumed download does not count earlier runs' bytes as fast.
 * Not thread safe: the download calls it under its lock.
 */
final class RunMeter {

    private final Clock clock;
    private Instant runStarted;
    private long bytesThisRun;

    RunMeter(Clock clock) {
        this.clock = clock;
    }

    /** A run begins (start or resume). */
    void restart() {
        runStarted = clock.instant();
        bytesThisRun = 0;
    }

    /** A piece of {@code plainBytes} was verified in this run. */
    void add(long plainBytes) {
        bytesThisRun += plainBytes;
    }

    DownloadProgress progress(Manifest manifest, BitSet verified, int peers) {
        int last = manifest.chunkCount() - 1;
        long bytes = (long) verified.cardinality() * manifest.chunkSize();
        if (verified.get(last)) {
            bytes -= manifest.chunkSize() - manifest.plainLength(last);
        }
        double seconds = runStarted == null ? 0 : Duration.between(runStarted, clock.instant()).toNanos() / 1e9;
        double rate = seconds > 0 ? bytesThisRun / seconds : 0;
        return new DownloadProgress(bytes, manifest.size(), rate, verified.cardinality(), manifest.chunkCount(), peers);
    }
}
