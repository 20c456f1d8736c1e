package org.parley.libp2p.bench.micro;

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
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.JdkChaCha20Poly1305;
import org.parley.libp2p.crypto.OpenSslChaCha20Poly1305;
import org.parley.libp2p.crypto.SodiumChaCha20Poly1305;

/**
 * {@code scripts/bench micro-crypto}: the three ChaCha20-Poly1305 implementations Noise can run on,
 * sealing and opening one message of each size, in ns per operation on one thread (MB/s = bytes /
 * ns × 1,000). {@link Aead#CHACHA20_POLY1305} takes one of them per CPU ({@code AeadChoice}); this
 * is the measurement to check that choice against on a new kind of machine. The sizes: a DHT or
 * chat message, a yamux window update batch, a WebRTC frame, a full Noise frame (65,535 bytes less
 * the tag).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class AeadBench {

    @Param({"jdk", "openssl", "libsodium"})
    public String implementation;

    @Param({"64", "1024", "16384", "65519"})
    public int bytes;

    private Aead aead;
    private byte[] buffer;
    private byte[] sealed;
    private byte[] opened;
    private final byte[] nonce = new byte[Aead.NONCE_BYTES];
    private final byte[] fixedNonce = new byte[Aead.NONCE_BYTES];
    private long counter;

    @Setup
    public void setUp() {
        byte[] key = new byte[Aead.KEY_BYTES];
        aead = switch (implementation) {
            case "jdk" -> new JdkChaCha20Poly1305(key);
            case "openssl" -> new OpenSslChaCha20Poly1305(key);
            case "libsodium" -> new SodiumChaCha20Poly1305(key);
            default -> throw new IllegalArgumentException("unknown implementation " + implementation);
        };
        buffer = new byte[bytes + Aead.TAG_BYTES];
        sealed = new byte[bytes + Aead.TAG_BYTES];
        opened = new byte[bytes];
        fixedNonce[0] = 1;
        aead.seal(fixedNonce, null, new byte[bytes], 0, bytes, sealed, 0);
    }

    @TearDown
    public void tearDown() {
        aead.destroy();
    }

    /** Seals in place under a fresh nonce each time, as Noise does (the JDK refuses a repeated one). */
    @Benchmark
    public int seal() {
        long next = ++counter;
        for (int i = 0; i < Long.BYTES; i++) {
            nonce[4 + i] = (byte) (next >>> (8 * i));
        }
        return aead.seal(nonce, null, buffer, 0, bytes, buffer, 0);
    }

    /** Checks the tag and decrypts one message sealed in set-up. */
    @Benchmark
    public int open() throws AEADBadTagException {
        return aead.open(fixedNonce, null, sealed, 0, sealed.length, opened, 0);
    }
}
