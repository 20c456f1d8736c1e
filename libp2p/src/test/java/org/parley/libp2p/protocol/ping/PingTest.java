package org.parley.libp2p.protocol.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.protocol.TestStreams;
import org.parley.libp2p.protocol.TestStreams.Peer;

class PingTest {

    private static final Peer DIALER = Peer.generate();
    private static final Peer LISTENER = Peer.generate();

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final TestStreams.Pair streams = TestStreams.open(PingResponder.PROTOCOL_ID, DIALER, LISTENER);

    @AfterEach
    void shutDown() {
        threads.shutdownNow();
    }

    /** A clock that advances by {@code step} nanoseconds per reading. */
    private static LongSupplier steppingClock(long step) {
        AtomicLong now = new AtomicLong(1_000);
        return () -> now.getAndAdd(step);
    }

    private Future<Void> serve(PingResponder responder) {
        return threads.submit(() -> {
            responder.handle(streams.listener());
            return null;
        });
    }

    @Test
    void echoesRepeatedPingsOnOneStreamAndMeasuresEachRoundTrip() throws Exception {
        Future<Void> served = serve(new PingResponder());
        PingInitiator ping = new PingInitiator(streams.dialer(), new Random(7), steppingClock(250_000), Duration.ofSeconds(5));

        assertThat(ping.ping()).isEqualTo(Duration.ofNanos(250_000));
        assertThat(ping.ping()).isEqualTo(Duration.ofNanos(250_000));
        assertThat(ping.ping()).isEqualTo(Duration.ofNanos(250_000));
        ping.close();

        served.get(5, TimeUnit.SECONDS);
        assertThat(streams.dialer().wasReset()).isFalse();
    }

    @Test
    void responderEchoesAPingWhoseSenderHalfClosedRightAfterIt() throws Exception {
        byte[] payload = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        streams.dialer().out().write(payload);
        streams.dialer().out().flush();
        streams.dialer().closeWrite();

        Future<Void> served = serve(new PingResponder());

        assertThat(streams.dialer().in().readNBytes(PingResponder.PAYLOAD_BYTES)).isEqualTo(payload);
        assertThat(streams.dialer().in().read()).as("the responder closes after the last echo").isEqualTo(-1);
        served.get(5, TimeUnit.SECONDS);
    }

    @Test
    void initiatorRejectsAnEchoThatDiffersFromThePayload() throws Exception {
        threads.submit(() -> {
            byte[] payload = streams.listener().in().readNBytes(PingResponder.PAYLOAD_BYTES);
            payload[31] ^= 1;
            streams.listener().out().write(payload);
            streams.listener().out().flush();
            return null;
        });
        PingInitiator ping = new PingInitiator(streams.dialer());

        assertThatThrownBy(ping::ping)
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("ping echo from " + LISTENER.id() + " differs from the 32 bytes sent");
        assertThat(streams.dialer().wasResetHere()).isTrue();
    }

    @Test
    void initiatorReportsAStreamThatEndsInsideTheEcho() throws Exception {
        threads.submit(() -> {
            streams.listener().in().readNBytes(PingResponder.PAYLOAD_BYTES);
            streams.listener().out().write(new byte[5]);
            streams.listener().closeWrite();
            return null;
        });
        PingInitiator ping = new PingInitiator(streams.dialer());

        assertThatThrownBy(ping::ping)
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("ping stream ended after 5 of 32 echo bytes");
    }

    @Test
    void initiatorGivesUpWhenNoEchoArrivesInTime() {
        PingInitiator ping = new PingInitiator(streams.dialer(), new Random(7), System::nanoTime, Duration.ofMillis(50));

        assertThatThrownBy(ping::ping)
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("no ping echo from " + LISTENER.id() + " within 50 ms");
        assertThat(streams.dialer().wasResetHere()).isTrue();
    }

    @Test
    void responderRejectsAPayloadCutShortByEndOfStream() throws Exception {
        streams.dialer().out().write(new byte[10]);
        streams.dialer().closeWrite();

        assertThatThrownBy(() -> new PingResponder().handle(streams.listener()))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("ping stream ended after 10 of 32 payload bytes");
    }

    @Test
    void responderClosesTheStreamAfterItsPingLimit() throws Exception {
        Future<Void> served = serve(new PingResponder(PingResponder.IDLE_TIMEOUT, 2));
        PingInitiator ping = new PingInitiator(streams.dialer());

        ping.ping();
        ping.ping();
        served.get(5, TimeUnit.SECONDS);

        assertThatThrownBy(ping::ping)
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("ping stream ended after 0 of 32 echo bytes");
    }

    @Test
    void responderDropsAStreamThatStaysIdle() {
        PingResponder responder = new PingResponder(Duration.ofMillis(50), PingResponder.MAX_PINGS_PER_STREAM);

        assertThatThrownBy(() -> responder.handle(streams.listener()))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("ping stream idle for more than 50 ms");
        assertThat(streams.listener().wasResetHere()).isTrue();
    }
}
