package org.parley.libp2p.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * CPU time of libwebrtc's network threads in a process, read from {@code /proc} (Linux only). The
 * network thread runs all of a data channel's SCTP, DTLS and UDP work in native code; none of
 * Parley's Java runs on it (webrtc-java hands its callbacks to the signaling thread). So the CPU
 * it spends per MiB is what libwebrtc alone costs, and when it is busy for the whole transfer it,
 * not anything in Parley, sets the rate.
 */
final class NetworkThreadCpu {

    /** The thread's name as /proc shows it (the kernel keeps 15 characters of it). */
    static final String THREAD_NAME = "webrtc_jni_netw";
    /** /proc counts CPU in USER_HZ ticks, 100 a second on Linux whatever the kernel's own tick. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    /** utime and stime in /proc/PID/task/TID/stat, counted from the field after the name's ')'. */
    private static final int UTIME_AFTER_NAME = 11;
    private static final int STIME_AFTER_NAME = 12;

    private NetworkThreadCpu() {}

    /** The CPU nanoseconds (user and system) the network threads of process {@code pid} used so far. */
    static long nanos(long pid) throws IOException {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(THREAD_NAME)) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[UTIME_AFTER_NAME]) + Long.parseLong(fields[STIME_AFTER_NAME]);
                    }
                } catch (NoSuchFileException ended) {
                    // The thread ended between the listing and the read: it is no network thread.
                }
            }
        }
        return ticks * NANOS_PER_TICK;
    }
}
