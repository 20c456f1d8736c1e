package org.parley.node.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;
import org.signal.libsignal.protocol.IdentityKeyPair;

/** The signed device list: round trips, version steps, signatures that catch tampering and other users, limits. */
class DeviceListTest {

    private static final Instant T = Instant.parse("2026-12-03T20:00:00Z");

    static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    @Test
    void addingAndRevokingStepTheVersionAndNeverReuseANumber() {
        PeerId one = peer();
        PeerId two = peer();
        PeerId three = peer();
        DeviceList first = DeviceList.first(one, 1, T);
        DeviceList added = first.with(new DeviceList.Device(two, first.nextNumber(), T));
        DeviceList revoked = added.revoke(two, T.plusSeconds(5));

        assertThat(added.version()).isEqualTo(2);
        assertThat(added.device(two).orElseThrow().number()).isEqualTo(2);
        assertThat(revoked.version()).isEqualTo(3);
        assertThat(revoked.isCurrent(two)).isFalse();
        assertThat(revoked.revoked()).containsExactly(new DeviceList.Device(two, 2, T.plusSeconds(5)));
        assertThat(revoked.nextNumber()).isEqualTo(3);
        assertThat(revoked.with(new DeviceList.Device(three, revoked.nextNumber(), T)).device(three).orElseThrow()
                .number()).isEqualTo(3);
    }

    @Test
    void aSignedListRoundTripsAndVerifiesOnlyForItsIdentityAndItsExactBytes() throws Exception {
        IdentityKeyPair alice = IdentityKeyPair.generate();
        IdentityKeyPair mallory = IdentityKeyPair.generate();
        DeviceList list = DeviceList.first(peer(), 1, T).with(new DeviceList.Device(peer(), 2, T));
        SignedDeviceList signed = SignedDeviceList.sign(list, alice);

        SignedDeviceList decoded = SignedDeviceList.decode(signed.encode());
        assertThat(decoded).isEqualTo(signed);
        assertThat(decoded.verify(alice.getPublicKey())).isTrue();
        assertThat(decoded.verify(mallory.getPublicKey())).isFalse();

        DeviceList forged = list.with(new DeviceList.Device(peer(), 3, T));
        assertThat(new SignedDeviceList(forged, signed.signature()).verify(alice.getPublicKey())).isFalse();
        byte[] tampered = signed.encode();
        tampered[tampered.length - 1] ^= 1;
        assertThat(SignedDeviceList.decode(tampered).verify(alice.getPublicKey())).isFalse();
    }

    @Test
    void malformedOrOversizedEncodingsAreRefusedWithAReason() {
        byte[] good = DeviceList.first(peer(), 1, T).encode();
        assertThatThrownBy(() -> DeviceList.decode(java.util.Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(PeerFaultException.class).hasMessageContaining("ends early");
        byte[] format = good.clone();
        format[0] = 9;
        assertThatThrownBy(() -> DeviceList.decode(format)).isInstanceOf(PeerFaultException.class)
                .hasMessageContaining("format 9");
        assertThatThrownBy(() -> DeviceList.decode(new byte[DeviceList.MAX_BYTES + 1]))
                .isInstanceOf(PeerFaultException.class).hasMessageContaining("exceeds");
        byte[] many = java.nio.ByteBuffer.allocate(13).put((byte) 1).putLong(1).putShort((short) 33).array();
        assertThatThrownBy(() -> DeviceList.decode(many)).isInstanceOf(PeerFaultException.class)
                .hasMessageContaining("at most 32");
        PeerId same = peer();
        assertThatThrownBy(() -> new DeviceList(1, List.of(new DeviceList.Device(same, 1, T),
                new DeviceList.Device(same, 2, T)), List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
