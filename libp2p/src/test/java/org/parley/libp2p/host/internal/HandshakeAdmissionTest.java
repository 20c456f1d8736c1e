package org.parley.libp2p.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.core.SecuredMuxedConnection;
import org.parley.libp2p.host.ConnectionStats.Closure;
import org.parley.libp2p.host.ConnectionStats.Refusal;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.multiaddr.Multiaddr;

/** Pending-handshake slots per address, per subnet and in total, on a fake clock without sockets. */
class HandshakeAdmissionTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ConnectionCounters counters = new ConnectionCounters();

    private HandshakeAdmission admission(HostLimits limits) {
        return new HandshakeAdmission(limits, counters, now::get);
    }

    private static HostLimits limits(int total, int perIp, int perSubnet) {
        return HostLimits.defaults().withMaxInboundHandshakes(total).withMaxHandshakesPerIp(perIp)
                .withMaxHandshakesPerSubnet(perSubnet).withPressureHandshakeTimeout(Duration.ofSeconds(3));
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void refusesAFurtherHandshakeFromAnAddressAtItsLimit() {
        HandshakeAdmission admission = admission(limits(64, 2, 16));
        FakeDuplex a = new FakeDuplex();
        FakeDuplex b = new FakeDuplex();
        assertThat(admission.admit(a, ip(10, 0, 0, 1))).isNotNull();
        assertThat(admission.admit(b, ip(10, 0, 0, 1))).isNotNull();
        advance(Duration.ofSeconds(1));

        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 0, 1))).isNull();
        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 0, 2))).isNotNull();
        assertThat(a.closed || b.closed).as("an address's own limit closes nobody").isFalse();
        assertThat(counters.refused()).containsEntry(Refusal.HANDSHAKES_PER_IP, 1L);
    }

    @Test
    void theOldestHandshakeOfAFullSubnetGivesWayToANewOne() {
        HandshakeAdmission admission = admission(limits(64, 4, 3));
        FakeDuplex oldest = new FakeDuplex();
        admission.admit(oldest, ip(192, 0, 2, 10));
        advance(Duration.ofMillis(100));
        FakeDuplex second = new FakeDuplex();
        admission.admit(second, ip(192, 0, 2, 11));
        admission.admit(new FakeDuplex(), ip(192, 0, 2, 12));
        advance(HandshakeAdmission.MIN_AGE_TO_GIVE_WAY);

        HandshakeAdmission.Ticket newcomer = admission.admit(new FakeDuplex(), ip(192, 0, 2, 200));

        assertThat(newcomer).isNotNull();
        assertThat(oldest.closed).isTrue();
        assertThat(second.closed).isFalse();
        assertThat(admission.pending()).isEqualTo(3);
        assertThat(counters.closed()).containsEntry(Closure.HANDSHAKE_GAVE_WAY, 1L);
        // Another subnet is not affected by the full one.
        assertThat(admission.admit(new FakeDuplex(), ip(192, 0, 3, 1))).isNotNull();
    }

    @Test
    void anIpv6SubnetIsASlash56() {
        HandshakeAdmission admission = admission(limits(64, 4, 1));
        byte[] first = new byte[16];
        first[0] = 0x20;
        first[1] = 0x01;
        first[6] = (byte) 0xAB;
        byte[] sameSlash56 = first.clone();
        sameSlash56[7] = 0x01;
        sameSlash56[15] = 0x09;
        byte[] otherSlash56 = first.clone();
        otherSlash56[6] = (byte) 0xAC;
        admission.admit(new FakeDuplex(), first).heard();

        assertThat(admission.admit(new FakeDuplex(), sameSlash56)).as("a young handshake does not give way").isNull();
        assertThat(admission.admit(new FakeDuplex(), otherSlash56)).isNotNull();
    }

    @Test
    void aSilentHandshakeGivesWayBeforeAnOlderOneThatSpoke() {
        HandshakeAdmission admission = admission(limits(2, 4, 4));
        FakeDuplex speaking = new FakeDuplex();
        admission.admit(speaking, ip(10, 0, 0, 1)).heard();
        advance(Duration.ofSeconds(1));
        FakeDuplex silent = new FakeDuplex();
        admission.admit(silent, ip(10, 0, 1, 1));

        // The silent one is young, but it gives way at once; the one that spoke is spared.
        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 2, 1))).isNotNull();
        assertThat(silent.closed).isTrue();
        assertThat(speaking.closed).isFalse();
    }

    @Test
    void theFirstByteReadThroughTheWatchedConnectionMarksTheHandshakeHeard() throws Exception {
        HandshakeAdmission admission = admission(limits(1, 4, 4));
        FakeDuplex first = new FakeDuplex(new byte[] {0x13});
        HandshakeAdmission.Ticket ticket = admission.admit(first, ip(10, 0, 0, 1));
        assertThat(ticket.watch(first).in().read()).isEqualTo(0x13);

        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 1, 1))).as("a heard, young handshake stays").isNull();
        assertThat(first.closed).isFalse();
    }

    @Test
    void aHandshakeWhoseFirstBytesWaitUnreadOutlastsSilentNewcomers() {
        // Under load the upgrade thread may not have read yet while the accept loop admits a burst
        // of silent sockets from fresh addresses: once they are older, the dialer that spoke is the
        // oldest handshake of its subnet, and it must not be taken for silent.
        HandshakeAdmission admission = admission(limits(64, 4, 4));
        FakeDuplex spoke = new FakeDuplex(new byte[] {0x13, '/', 'm'});
        admission.admit(spoke, ip(127, 0, 0, 1));
        for (int host = 2; host <= 12; host++) {
            assertThat(admission.admit(new FakeDuplex(), ip(127, 0, 0, host))).as("newcomer %d", host).isNotNull();
        }

        assertThat(spoke.closed).isFalse();
        assertThat(admission.pending()).isEqualTo(4);
        assertThat(counters.closed()).containsEntry(Closure.HANDSHAKE_GAVE_WAY, 8L);
    }

    @Test
    void aConnectionItsTransportSecuredIsNotAskedForBytesAndStaysWhileYoung() {
        HandshakeAdmission admission = admission(limits(64, 4, 1));
        SecuredFake secured = new SecuredFake();
        admission.admit(secured, ip(10, 0, 0, 1));

        // Its in() throws, as a WebRTC connection's does: admission must not ask it.
        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 0, 2))).isNull();
        assertThat(secured.closed).isFalse();
        assertThat(counters.refused()).containsEntry(Refusal.HANDSHAKES_FULL, 1L);
    }

    @Test
    void anAddressWhoseSilentHandshakeGaveWayPushesNoOneOutForAWhile() {
        HandshakeAdmission admission = admission(limits(2, 4, 4));
        admission.admit(new FakeDuplex(), ip(10, 0, 0, 1));
        admission.admit(new FakeDuplex(), ip(10, 0, 1, 1));
        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 2, 1))).isNotNull(); // 10.0.0.1 gave way

        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 0, 1))).as("suspect").isNull();
        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 3, 1))).as("not suspect").isNotNull();

        advance(HandshakeAdmission.SUSPECT_PERIOD);
        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 0, 1))).as("forgiven").isNotNull();
    }

    @Test
    void aSuspectAddressMayStillTakeAFreeSlot() {
        HandshakeAdmission admission = admission(limits(1, 4, 4));
        HandshakeAdmission.Ticket first = admission.admit(new FakeDuplex(), ip(10, 0, 0, 1));
        HandshakeAdmission.Ticket second = admission.admit(new FakeDuplex(), ip(10, 0, 1, 1));
        assertThat(first).isNotNull();
        second.release();

        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 0, 1))).isNotNull();
    }

    @Test
    void whenTheHostIsFullTheOldestHandshakeAnywhereGivesWay() {
        HandshakeAdmission admission = admission(limits(4, 4, 4));
        FakeDuplex oldest = new FakeDuplex();
        admission.admit(oldest, ip(10, 0, 0, 1));
        for (int i = 2; i <= 4; i++) {
            advance(Duration.ofMillis(10));
            admission.admit(new FakeDuplex(), ip(10, 0, i, 1));
        }
        advance(HandshakeAdmission.MIN_AGE_TO_GIVE_WAY);

        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 9, 1))).isNotNull();
        assertThat(oldest.closed).isTrue();
        assertThat(admission.pending()).isEqualTo(4);
    }

    @Test
    void aHandshakeYoungerThanTheMinimumAgeNeverGivesWay() {
        HandshakeAdmission admission = admission(limits(2, 4, 4));
        FakeDuplex a = new FakeDuplex();
        FakeDuplex b = new FakeDuplex();
        admission.admit(a, ip(10, 0, 0, 1)).heard();
        admission.admit(b, ip(10, 0, 1, 1)).heard();
        advance(HandshakeAdmission.MIN_AGE_TO_GIVE_WAY.minusMillis(1));

        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 2, 1))).isNull();
        assertThat(a.closed || b.closed).isFalse();
        assertThat(counters.refused()).containsEntry(Refusal.HANDSHAKES_FULL, 1L);
    }

    @Test
    void underPressureHandshakesPastTheShortDeadlineAreClosed() {
        HandshakeAdmission admission = admission(limits(4, 4, 4));
        FakeDuplex stale = new FakeDuplex();
        admission.admit(stale, ip(10, 0, 0, 1));
        advance(Duration.ofSeconds(1));
        FakeDuplex fresh = new FakeDuplex();
        admission.admit(fresh, ip(10, 0, 1, 1));
        advance(Duration.ofMillis(2_500));

        // Two of four slots in use is pressure: the 3.5 s old handshake goes, the 2.5 s old one stays.
        admission.admit(new FakeDuplex(), ip(10, 0, 2, 1));

        assertThat(stale.closed).isTrue();
        assertThat(fresh.closed).isFalse();
        assertThat(admission.pending()).isEqualTo(2);
        assertThat(counters.closed()).containsEntry(Closure.HANDSHAKE_TOO_SLOW_UNDER_PRESSURE, 1L);
    }

    @Test
    void withoutPressureASlowHandshakeKeepsItsSlot() {
        HandshakeAdmission admission = admission(limits(8, 4, 4));
        FakeDuplex slow = new FakeDuplex();
        admission.admit(slow, ip(10, 0, 0, 1));
        advance(Duration.ofSeconds(5));

        admission.admit(new FakeDuplex(), ip(10, 0, 1, 1));

        assertThat(slow.closed).isFalse();
    }

    @Test
    void releasingFreesTheSlotOnceAndATicketThatGaveWayReleasesNothing() {
        HandshakeAdmission admission = admission(limits(64, 1, 1));
        HandshakeAdmission.Ticket first = admission.admit(new FakeDuplex(), ip(10, 0, 0, 1));
        advance(HandshakeAdmission.MIN_AGE_TO_GIVE_WAY);
        HandshakeAdmission.Ticket second = admission.admit(new FakeDuplex(), ip(10, 0, 0, 2));
        assertThat(second).isNotNull();

        first.release(); // gave way already: must not free second's slot
        assertThat(admission.pending()).isEqualTo(1);
        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 0, 2))).isNull();

        second.release();
        second.release();
        assertThat(admission.pending()).isZero();
        assertThat(admission.admit(new FakeDuplex(), ip(10, 0, 0, 2))).isNotNull();
    }

    @Test
    void subnetKeysMaskTheHostBits() {
        assertThat(AdmissionKey.prefix(ip(192, 0, 2, 77), 24)).isEqualTo("c00002/24");
        assertThat(AdmissionKey.prefix(ip(192, 0, 2, 77), 32)).isEqualTo("c000024d/32");
        assertThat(AdmissionKey.prefix(ip(192, 0, 2, 77), 20)).isEqualTo("c00000/20");
    }

    private static byte[] ip(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    /** A connection its transport secured and multiplexed: it carries no bytes of its own. */
    private static final class SecuredFake implements SecuredMuxedConnection {
        volatile boolean closed;

        @Override
        public SecureChannel channel() {
            throw new UnsupportedOperationException("not needed for admission");
        }

        @Override
        public MuxedSession session() {
            throw new UnsupportedOperationException("not needed for admission");
        }

        @Override
        public Multiaddr localAddress() {
            return Multiaddr.parse("/ip4/10.0.0.9/udp/4001");
        }

        @Override
        public Multiaddr remoteAddress() {
            return Multiaddr.parse("/ip4/10.0.0.1/udp/4001");
        }

        @Override
        public InputStream in() {
            throw new UnsupportedOperationException("data only in streams");
        }

        @Override
        public OutputStream out() {
            throw new UnsupportedOperationException("data only in streams");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A connection that only records whether it was closed. */
    private static final class FakeDuplex implements Duplex {
        private final byte[] incoming;
        volatile boolean closed;

        FakeDuplex() {
            this(new byte[0]);
        }

        FakeDuplex(byte[] incoming) {
            this.incoming = incoming;
        }

        @Override
        public InputStream in() {
            return new java.io.ByteArrayInputStream(incoming);
        }

        @Override
        public OutputStream out() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
