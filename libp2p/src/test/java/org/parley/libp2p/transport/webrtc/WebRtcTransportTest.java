package org.parley.libp2p.transport.webrtc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.StreamResetException;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.protocol.ping.PingInitiator;

/**
 * Two Java hosts in one JVM: signaling over their TCP connection, then a direct WebRTC connection
 * on loopback whose data-channel streams carry ping, a 64 MiB echo, many streams at once, and the
 * close and reset semantics of the framing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebRtcTransportTest {

    private static final int ECHO_BYTES = 64 << 20;
    private static final String HOLD = "/parley-test/hold/1.0.0";

    private final WebRtcHosts hosts = new WebRtcHosts();

    @BeforeAll
    static void nativeLibraryLoads() {
        WebRtcSupport.Status status = WebRtcSupport.status();
        assertThat(status.available()).as(status.describe()).isTrue();
    }

    @AfterEach
    void closeHosts() {
        hosts.close();
    }

    @Test
    void signalsOverTcpThenPingsAndEchoes64MiBOverDataChannels() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        BlockingQueue<HostEvent> bEvents = WebRtcHosts.events(b);

        Connection webrtc = WebRtcHosts.connectOverWebRtc(a, b);

        assertThat(WebRtcHosts.isWebRtc(webrtc)).as("remote address %s", webrtc.remoteAddress()).isTrue();
        assertThat(webrtc.remotePeer()).isEqualTo(b.peerId());
        assertThat(webrtc.remotePublicKey()).isEqualTo(a.peerstore().publicKey(b.peerId()).orElseThrow());
        HostEvent.PeerConnected inbound = WebRtcHosts.awaitWebRtc(bEvents, HostEvent.PeerConnected.class);
        assertThat(inbound.peer()).isEqualTo(a.peerId());
        assertThat(a.connections(b.peerId())).hasSize(2);

        try (Stream ping = webrtc.newStream(List.of(PingInitiator.PROTOCOL_ID))) {
            byte[] payload = new byte[32];
            new Random(1).nextBytes(payload);
            ping.out().write(payload);
            ping.out().flush();
            assertThat(ping.in().readNBytes(32)).isEqualTo(payload);
        }

        try (Stream echo = webrtc.newStream(List.of(WebRtcHosts.ECHO))) {
            assertThat(echoDigest(echo, ECHO_BYTES, 7)).isEqualTo(expectedDigest(ECHO_BYTES, 7));
        }
    }

    /**
     * The host hands every transport its TCP-sized dial timeout; ICE through NATs needs longer, so
     * the transport's own connect timeout is the least a dial gets, even when handed 1 ms.
     */
    @Test
    void aDialGetsAtLeastTheTransportsConnectTimeout() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        Connection tcp = a.connect(WebRtcHosts.tcpAddress(b));

        RawConnection raw = hosts.webRtcOf(a).dial(WebRtcTransport.upgradeAddress(tcp), b.peerId(),
                Duration.ofMillis(1));
        try {
            assertThat(raw.transport()).isEqualTo(WebRtcConnection.TRANSPORT);
            assertThat(raw.remoteAddress().toString()).endsWith("/webrtc");
            assertThat(raw).isInstanceOf(WebRtcConnection.class);
            assertThat(((WebRtcConnection) raw).session().isOpen()).isTrue();
        } finally {
            raw.close();
        }
    }

    @Test
    void carriesManyConcurrentStreams() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        Connection webrtc = WebRtcHosts.connectOverWebRtc(a, b);
        int streams = 64;
        int bytesEach = 256 << 10;

        List<CompletableFuture<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            int seed = i;
            results.add(CompletableFuture.supplyAsync(() -> {
                try (Stream stream = webrtc.newStream(List.of(WebRtcHosts.ECHO))) {
                    return echoDigest(stream, bytesEach, seed);
                } catch (Exception e) {
                    throw new IllegalStateException("stream " + seed + " failed: " + e, e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable)));
        }
        for (int i = 0; i < streams; i++) {
            assertThat(results.get(i).get(60, TimeUnit.SECONDS)).as("stream %d", i)
                    .isEqualTo(expectedDigest(bytesEach, i));
        }
    }

    @Test
    void halfCloseLetsTheOtherSideFinishAndResetReachesThePeer() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        CompletableFuture<Throwable> holdOutcome = new CompletableFuture<>();
        b.setHandler(HOLD, stream -> {
            try {
                stream.in().readAllBytes();
                holdOutcome.complete(null);
            } catch (IOException e) {
                holdOutcome.complete(e);
            }
        });
        Connection webrtc = WebRtcHosts.connectOverWebRtc(a, b);

        // Half-close: our FIN ends the echo's reading; it still writes its answer, then its FIN.
        try (Stream echo = webrtc.newStream(List.of(WebRtcHosts.ECHO))) {
            echo.out().write("one way".getBytes(UTF_8));
            echo.closeWrite();
            assertThatThrownBy(() -> echo.out().write(1)).hasMessageContaining("closed for writing");
            assertThat(new String(echo.in().readAllBytes(), UTF_8)).isEqualTo("one way");
            assertThat(echo.in().read()).isEqualTo(-1);
        }

        // Reset: the peer's blocked read fails with a reset, not an end of stream.
        Stream hold = webrtc.newStream(List.of(HOLD));
        hold.out().write("some bytes".getBytes(UTF_8));
        hold.out().flush();
        hold.reset();
        assertThat(holdOutcome.get(30, TimeUnit.SECONDS)).isInstanceOf(StreamResetException.class);
        assertThatThrownBy(() -> hold.out().write(1)).isInstanceOf(StreamResetException.class);
    }

    /** Slow: the peer notices the closed peer connection only when ICE gives up on it (about 15 s). */
    @Test
    @Tag("slow")
    void closingTheConnectionClosesItOnBothSides() throws Exception {
        Host a = hosts.start();
        Host b = hosts.start();
        BlockingQueue<HostEvent> bEvents = WebRtcHosts.events(b);
        Connection webrtc = WebRtcHosts.connectOverWebRtc(a, b);
        WebRtcHosts.awaitWebRtc(bEvents, HostEvent.PeerConnected.class);
        Stream open = webrtc.newStream(List.of(WebRtcHosts.ECHO));

        webrtc.close();

        HostEvent.PeerDisconnected gone = WebRtcHosts.awaitWebRtc(bEvents, HostEvent.PeerDisconnected.class);
        assertThat(gone.peer()).isEqualTo(a.peerId());
        assertThat(gone.lastConnection()).as("the TCP connection stays").isFalse();
        assertThat(webrtc.isOpen()).isFalse();
        assertThatThrownBy(() -> open.out().write(1)).isInstanceOf(IOException.class);
    }

    /** Writes {@code length} seeded bytes on one thread, reads the echo on this one, returns its digest. */
    static byte[] echoDigest(Stream stream, int length, long seed) throws Exception {
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
            try {
                Random random = new Random(seed);
                byte[] chunk = new byte[64 << 10];
                for (int sent = 0; sent < length; sent += chunk.length) {
                    random.nextBytes(chunk);
                    stream.out().write(chunk, 0, Math.min(chunk.length, length - sent));
                }
                stream.closeWrite();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        InputStream in = stream.in();
        byte[] buffer = new byte[64 << 10];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
            total += n;
        }
        written.get();
        assertThat(total).isEqualTo(length);
        return digest.digest();
    }

    static byte[] expectedDigest(int length, long seed) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(seed);
        byte[] chunk = new byte[64 << 10];
        for (int done = 0; done < length; done += chunk.length) {
            random.nextBytes(chunk);
            digest.update(chunk, 0, Math.min(chunk.length, length - done));
        }
        return Arrays.copyOf(digest.digest(), 32);
    }
}
