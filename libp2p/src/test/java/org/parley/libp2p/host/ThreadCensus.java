package org.parley.libp2p.host;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the JVM's live threads, virtual ones included (from a JSON thread dump, which lists every
 * virtual thread on JDK 25), and its open file descriptors, so a test can compare before and after.
 * Carrier threads of the virtual-thread scheduler come and go with load and are left out.
 */
record ThreadCensus(List<String> threads, long openFileDescriptors) {

    private static final Pattern NAME = Pattern.compile("\"name\": \"((?:[^\"\\\\]|\\\\.)*)\"");

    static ThreadCensus take() {
        try {
            Path dump = Files.createTempFile("thread-census", ".json");
            Files.delete(dump);
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                List<String> names = new ArrayList<>();
                Matcher m = NAME.matcher(Files.readString(dump));
                while (m.find()) {
                    String name = m.group(1);
                    if (!name.startsWith("ForkJoinPool") && !name.equals(Thread.currentThread().getName())) {
                        names.add(name);
                    }
                }
                return new ThreadCensus(List.copyOf(names), countOpenFileDescriptors());
            } finally {
                Files.deleteIfExists(dump);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int threadCount() {
        return threads.size();
    }

    private static long countOpenFileDescriptors() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getOpenFileDescriptorCount() : -1;
    }
}
