package org.parley.libp2p.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/** What pending handshakes are counted against: the IP for direct connections, the source for circuits. */
class AdmissionKeyTest {

    private static final PeerId RELAY = newPeer();
    private static final PeerId OTHER_RELAY = newPeer();

    @Test
    void aDirectConnectionIsKeyedOnItsIpAndSubnet() {
        AdmissionKey key = AdmissionKey.of(Multiaddr.parse("/ip4/192.0.2.77/tcp/4001"));

        assertThat(key).isEqualTo(new AdmissionKey("c000024d/32", "c00002/24"));
    }

    @Test
    void circuitsThroughOneRelayAreKeyedOnTheirSourcePeerAndGroupedByRelay() {
        PeerId alice = newPeer();
        PeerId bob = newPeer();

        AdmissionKey fromAlice = AdmissionKey.of(circuit(RELAY, alice));
        AdmissionKey fromBob = AdmissionKey.of(circuit(RELAY, bob));
        AdmissionKey fromAliceElsewhere = AdmissionKey.of(circuit(OTHER_RELAY, alice));

        assertThat(fromAlice.address()).isNotEqualTo(fromBob.address()).contains(alice.toString());
        assertThat(fromAlice.group()).isEqualTo(fromBob.group()).contains(RELAY.toString());
        assertThat(fromAliceElsewhere.group()).isNotEqualTo(fromAlice.group());
    }

    @Test
    void inMemoryAddressesAreTheirOwnKeys() {
        AdmissionKey a = AdmissionKey.of(Multiaddr.parse("/memory/a"));
        AdmissionKey b = AdmissionKey.of(Multiaddr.parse("/memory/b"));

        assertThat(a.address()).isNotEqualTo(b.address());
        assertThat(a.group()).isEqualTo(b.group()).isEqualTo("memory");
    }

    /**
     * The defect this key fixes: every circuit arrives from its relay's IP, so with the IP as the key a
     * relay's own per-IP limit of silent circuits locked out every other peer behind that relay.
     */
    @Test
    void silentCircuitsFromOnePeerDoNotLockOutAnotherPeerBehindTheSameRelay() {
        HostLimits limits = HostLimits.defaults().withMaxHandshakesPerIp(2).withMaxHandshakesPerSubnet(64)
                .withMaxInboundHandshakes(64).withPressureHandshakeTimeout(Duration.ofSeconds(3));
        HandshakeAdmission admission = new HandshakeAdmission(limits, new ConnectionCounters(), System::nanoTime);
        PeerId flooder = newPeer();
        assertThat(admission.admit(new SilentDuplex(), AdmissionKey.of(circuit(RELAY, flooder)))).isNotNull();
        assertThat(admission.admit(new SilentDuplex(), AdmissionKey.of(circuit(RELAY, flooder)))).isNotNull();

        assertThat(admission.admit(new SilentDuplex(), AdmissionKey.of(circuit(RELAY, flooder))))
                .as("the flooder's own limit holds").isNull();
        assertThat(admission.admit(new SilentDuplex(), AdmissionKey.of(circuit(RELAY, newPeer()))))
                .as("another peer behind the same relay still gets a slot").isNotNull();
    }

    private static Multiaddr circuit(PeerId relay, PeerId source) {
        return Multiaddr.parse("/ip4/198.51.100.7/tcp/4001/p2p/" + relay + "/p2p-circuit/p2p/" + source);
    }

    private static PeerId newPeer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    /** A connection that never speaks. */
    private static final class SilentDuplex implements Duplex {
        @Override
        public InputStream in() {
            return InputStream.nullInputStream();
        }

        @Override
        public OutputStream out() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public void close() {
        }
    }
}
