package org.parley.files.bench.micro;

import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.parley.files.merkle.MerkleTree;

/**
 * {@code scripts/bench micro-files}: the Merkle leaf hash of one sealed chunk (SHA-256, which the
 * JDK runs with the CPU's SHA instructions where it has them), in µs per chunk on one thread. A
 * leecher hashes every piece it receives once; sharing hashes the whole file once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class LeafHashBench {

    /** A sealed chunk of the default size (256 KiB and its tag). */
    @Param({"262160"})
    public int bytes;

    private final MessageDigest sha = MerkleTree.sha256();
    private byte[] chunk;

    @Setup
    public void setUp() {
        chunk = new byte[bytes];
    }

    @Benchmark
    public byte[] leafHash() {
        return MerkleTree.leafHash(sha, chunk, bytes);
    }
}
