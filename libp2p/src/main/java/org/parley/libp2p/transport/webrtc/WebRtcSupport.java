package org.parley.libp2p.transport.webrtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Whether this process can speak WebRTC: loads the native libwebrtc once and keeps the one
 * {@link PeerConnectionFactory} all WebRTC transports of the process share. The factory runs one
 * network thread, which does all SCTP, DTLS and UDP work of its peer connections. A factory per
 * core was measured (scripts/bench webrtc, 2-core AMD EPYC): one stream Java-Java went from 34.5 to
 * 35.9 MB/s while CPU per MiB rose by 40 %, so the process keeps one. When the library cannot
 * load (Debian's {@code libpulse0} missing, a platform other than linux-x86_64), {@link #status()}
 * says why in one sentence and the transports stay off, so a host runs with its other transports.
 * Thread safe.
 */
public final class WebRtcSupport {

    /** Whether WebRTC is available, and if not, why. */
    public record Status(boolean available, String reason) {

        /** One line for the log and the user: available, or the reason and what to do. */
        public String describe() {
            return available ? "WebRTC is available" : "WebRTC is off: " + reason;
        }
    }

    private static final Object LOCK = new Object();
    private static Status status;
    /** Made by the load probe; null while WebRTC is not available. Guarded by LOCK. */
    private static PeerConnectionFactory factory;

    private WebRtcSupport() {}

    /** Loads the native library on first use; later calls return the same answer. */
    public static Status status() {
        synchronized (LOCK) {
            if (status == null) {
                Loaded loaded = probe(WebRtcSupport::newFactory);
                status = loaded.status();
                factory = loaded.factory();
            }
            return status;
        }
    }

    /**
     * The factory for a new peer connection.
     *
     * @throws IllegalStateException if WebRTC is not available
     */
    static PeerConnectionFactory factory() {
        Status current = status();
        if (!current.available()) {
            throw new IllegalStateException(current.describe());
        }
        synchronized (LOCK) {
            return factory;
        }
    }

    /** What a load attempt gave: the status, and the factory if it is available. */
    record Loaded(Status status, PeerConnectionFactory factory) {}

    /**
     * Tries {@code create} in place of the native load, without touching the process's answer;
     * tests pass one that throws what a missing library throws.
     */
    static Loaded probe(Callable<PeerConnectionFactory> create) {
        try {
            return new Loaded(new Status(true, ""), create.call());
        } catch (UnsatisfiedLinkError e) {
            return new Loaded(new Status(false, explain(e)), null);
        } catch (Exception | LinkageError e) {
            return new Loaded(new Status(false, "the native WebRTC library could not start (" + e.getMessage()
                    + "); Parley goes on with its other transports"), null);
        }
    }

    private static String explain(UnsatisfiedLinkError e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("libpulse")) {
            return "the native WebRTC library needs libpulse.so.0; install it (on Debian or Ubuntu: "
                    + "apt-get install libpulse0) and restart";
        }
        String platform = System.getProperty("os.name", "?").toLowerCase(Locale.ROOT) + "-"
                + System.getProperty("os.arch", "?");
        return "the native WebRTC library could not load on " + platform + " (Parley ships it for linux-amd64 only: "
                + message + ")";
    }

    private static PeerConnectionFactory newFactory() {
        // The default audio module aborts the JVM on a machine without a sound device; data
        // channels need no audio, so the headless module is enough.
        return new PeerConnectionFactory(new HeadlessAudioDeviceModule());
    }
}
