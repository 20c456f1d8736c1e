package org.parley.files.bench.micro;

import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.ChunkCipherSuite;
import org.parley.files.crypto.FileKey;

/**
 * {@code scripts/bench micro-files}: sealing (what a seeder does to each piece it serves) and opening
 * (what a leecher does to each verified piece) of one chunk, with each suite a manifest can name, in
 * µs per chunk on one thread (MB/s = bytes / µs). {@link ChunkCipherSuite#fastest()} picks the
 * suite for new shares by a millisecond's benchmark at first use; this is the careful version of it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class ChunkCipherBench {

    @Param({"CHACHA20_POLY1305", "AES_256_GCM"})
    public ChunkCipherSuite suite;

    /** The default chunk size (256 KiB, files up to 1 GiB) and that of a 10 GiB file (4 MiB). */
    @Param({"262144", "4194304"})
    public int chunkBytes;

    private ChunkCipher cipher;
    private byte[] plain;
    private byte[] sealed;
    private byte[] scratch;
    private long index;

    @Setup
    public void setUp() {
        cipher = new ChunkCipher(FileKey.generate(), suite);
        plain = new byte[chunkBytes];
        sealed = new byte[chunkBytes + ChunkCipher.TAG_BYTES];
        scratch = new byte[chunkBytes + ChunkCipher.TAG_BYTES];
        cipher.sealChunk(0, plain, chunkBytes, sealed);
    }

    @TearDown
    public void tearDown() {
        cipher.close();
    }

    /** Each call seals the next chunk index, so no nonce repeats (the JDK refuses a repeated one). */
    @Benchmark
    public int seal() {
        return cipher.sealChunk(++index, plain, chunkBytes, scratch);
    }

    @Benchmark
    public int open() throws AEADBadTagException {
        return cipher.openChunk(0, sealed, sealed.length, scratch);
    }
}
