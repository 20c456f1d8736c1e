package org.parley.libp2p.transport.webrtc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the UDP sockets libwebrtc opens for a connection a larger receive buffer than the system's
 * default, which libwebrtc keeps for data channels.
 *
 * <p>Why: a peer that sends as fast as SCTP lets it fills the default buffer (212,992 bytes on
 * Linux, about 1.3 ms at 160 MB/s) whenever libwebrtc's one network thread falls a little behind,
 * and the kernel drops what does not fit: about 1,100 datagrams in each run of
 * {@code WebRtcJsInteropTest}'s upload test. SCTP recovers them, but a short message lost as well
 * (the opening of a new data channel, a stream reset) waits for a retransmission timer that the
 * losses have backed off to several seconds: in 4 of 70 runs a js ping during the upload took over
 * its 10 s.
 *
 * <p>Why not more: with 4 MiB (8 MiB granted) nothing was dropped, but a receiver whose network
 * thread is the bottleneck then queues up to 50 ms of datagrams, SCTP's round trips pass its
 * timers, and the association stalls for seconds: in {@code WebRtcTransportTest}'s 64 concurrent
 * streams (both hosts in one JVM, so one busy network thread) FIN_ACKs sat in their channels' send
 * buffers for seconds and 5 runs in 20 ended with a close that never completed. With
 * {@link #RECEIVE_BUFFER_BYTES} (512 KiB granted) the concurrency test passed 60 runs of 60 and the
 * upload test 60 of 60, with about 600 datagrams a run still dropped (the system-wide count).
 *
 * <p>webrtc-java exposes no socket options, so this finds the sockets itself: among this process's
 * file descriptors ({@code /proc/self/fd}) the datagram sockets bound to a local candidate's port,
 * and sets {@code SO_RCVBUF} on each through FFM. The kernel caps the size at
 * {@code net.core.rmem_max} (212,992 bytes on a stock Linux) and doubles it; the first socket that
 * gets less than asked logs once how to raise the cap. Linux only; elsewhere, or if libc is not
 * reachable, it does nothing. Thread safe.
 */
// Restricted FFM calls are the point of this class; the JVM runs with --enable-native-access already.
@SuppressWarnings("restricted")
final class UdpReceiveBuffers {

    /**
     * The receive buffer asked for; Linux grants twice this, 512 KiB: about 3 ms of data at 160 MB/s,
     * the fastest data channel measured here. Measured against 4 MiB and the default (see above).
     */
    static final int RECEIVE_BUFFER_BYTES = 256 << 10;

    private static final Logger log = LoggerFactory.getLogger(UdpReceiveBuffers.class);
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final String SOCKET_LINK = "socket:";
    // <sys/socket.h> and <netinet/in.h> on Linux.
    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SO_RCVBUF = 8;
    private static final int SOCK_DGRAM = 2;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    /** {@code sizeof(struct sockaddr_storage)}. */
    private static final int SOCKADDR_BYTES = 128;
    /** Where {@code sin_port} and {@code sin6_port} sit, in network byte order. */
    private static final long PORT_OFFSET = 2;

    private static final MethodHandle GETSOCKOPT;
    private static final MethodHandle SETSOCKOPT;
    private static final MethodHandle GETSOCKNAME;
    private static final AtomicBoolean CAP_REPORTED = new AtomicBoolean();

    static {
        MethodHandle get = null;
        MethodHandle set = null;
        MethodHandle name = null;
        if (Files.isDirectory(FDS)) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                get = linker.downcallHandle(libc.find("getsockopt").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
                set = linker.downcallHandle(libc.find("setsockopt").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
                name = linker.downcallHandle(libc.find("getsockname").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
            } catch (RuntimeException | LinkageError e) {
                log.debug("UDP receive buffers stay at the system's default: {}", e.toString());
                get = null;
                set = null;
                name = null;
            }
        }
        GETSOCKOPT = get;
        SETSOCKOPT = set;
        GETSOCKNAME = name;
    }

    private UdpReceiveBuffers() {}

    /**
     * Sets the receive buffer of this process's UDP sockets bound to {@code port} (IPv4 or IPv6) to
     * {@link #RECEIVE_BUFFER_BYTES}, or as much of it as the kernel allows.
     *
     * @return how many sockets it changed; 0 where it cannot (not Linux, no such socket)
     */
    static int enlarge(int port) {
        return enlarge(port, RECEIVE_BUFFER_BYTES);
    }

    static int enlarge(int port, int bytes) {
        if (SETSOCKOPT == null) {
            return 0;
        }
        int changed = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS); Arena arena = Arena.ofConfined()) {
            for (Path entry : fds) {
                int fd = descriptor(entry);
                if (fd >= 0 && isUdpSocketOn(arena, fd, port)) {
                    int obtained = set(arena, fd, bytes);
                    if (obtained >= 0) {
                        changed++;
                        log.debug("UDP socket on port {}: receive buffer {} bytes (asked {})", port, obtained, bytes);
                        reportCap(obtained, bytes);
                    }
                }
            }
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            // /proc unreadable, or a libc call that failed: the buffers stay as they were.
            log.debug("UDP receive buffer of port {} not changed: {}", port, e.toString());
        }
        return changed;
    }

    /** The descriptor number of a {@code /proc/self/fd} entry that is a socket, else -1. */
    private static int descriptor(Path entry) {
        try {
            if (!Files.readSymbolicLink(entry).toString().startsWith(SOCKET_LINK)) {
                return -1;
            }
            return Integer.parseInt(entry.getFileName().toString());
        } catch (IOException | NumberFormatException e) {
            return -1; // closed since the listing, or not a descriptor
        }
    }

    private static boolean isUdpSocketOn(Arena arena, int fd, int port) throws Throwable {
        MemorySegment value = arena.allocate(JAVA_INT);
        MemorySegment length = arena.allocate(JAVA_INT);
        length.set(JAVA_INT, 0, (int) JAVA_INT.byteSize());
        if ((int) GETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_TYPE, value, length) != 0
                || value.get(JAVA_INT, 0) != SOCK_DGRAM) {
            return false;
        }
        MemorySegment address = arena.allocate(SOCKADDR_BYTES);
        length.set(JAVA_INT, 0, SOCKADDR_BYTES);
        if ((int) GETSOCKNAME.invokeExact(fd, address, length) != 0) {
            return false;
        }
        short family = address.get(JAVA_SHORT, 0);
        int boundPort = Short.toUnsignedInt(Short.reverseBytes(address.get(JAVA_SHORT, PORT_OFFSET)));
        return (family == AF_INET || family == AF_INET6) && boundPort == port;
    }

    /** Sets SO_RCVBUF and reads back what the kernel granted; -1 if it refused. */
    private static int set(Arena arena, int fd, int bytes) throws Throwable {
        MemorySegment value = arena.allocate(JAVA_INT);
        value.set(JAVA_INT, 0, bytes);
        if ((int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_RCVBUF, value, (int) JAVA_INT.byteSize()) != 0) {
            return -1;
        }
        MemorySegment length = arena.allocate(JAVA_INT);
        length.set(JAVA_INT, 0, (int) JAVA_INT.byteSize());
        if ((int) GETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_RCVBUF, value, length) != 0) {
            return -1;
        }
        return value.get(JAVA_INT, 0);
    }

    /**
     * Linux grants twice what it was asked, the ask capped at rmem_max first. Granted less than
     * asked, the cap left the buffer below what the measurements needed: say so, once. (A stock
     * cap of 212,992 still grants 425,984, enough.)
     */
    private static void reportCap(int obtained, int asked) {
        if (obtained < asked && CAP_REPORTED.compareAndSet(false, true)) {
            log.info("WebRTC's UDP receive buffers are capped at {} bytes by net.core.rmem_max; fast transfers may lose"
                    + " packets and stall for seconds. To allow {} bytes: sysctl -w net.core.rmem_max={}",
                    obtained, asked, asked);
        }
    }
}
