package org.parley.libp2p.protocol.relay.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

class RelayCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesReserveWithItsZeroTypePresent() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RelayCodec.write(out, HopMessage.reserve());
        assertThat(HEX.formatHex(out.toByteArray())).isEqualTo("020800");
    }

    @Test
    void encodesStopStatusOk() {
        // type STATUS (1), status OK (100 = 0x64)
        assertThat(HEX.formatHex(RelayCodec.encode(StopMessage.status(RelayStatus.OK)))).isEqualTo("08012064");
    }

    @Test
    void roundTripsAReservationAnswer() throws Exception {
        Ed25519PrivateKey relayKey = Ed25519PrivateKey.generate();
        PeerId relay = PeerId.fromPublicKey(relayKey.publicKey());
        PeerId client = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        byte[] voucher = new ReservationVoucher(relay, client, 1_800_000_000L).seal(relayKey);
        HopMessage answer = new HopMessage(HopMessage.Type.STATUS, null,
                new RelayReservation(1_800_000_000L, List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/4001/p2p/" + relay)),
                        voucher),
                new RelayLimit(Duration.ofSeconds(120), 131072), RelayStatus.OK);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RelayCodec.write(out, answer);
        HopMessage back = RelayCodec.readHop(new ByteArrayInputStream(out.toByteArray()));

        assertThat(back.status()).isEqualTo(RelayStatus.OK);
        assertThat(back.limit()).isEqualTo(new RelayLimit(Duration.ofSeconds(120), 131072));
        assertThat(back.reservation().expireEpochSeconds()).isEqualTo(1_800_000_000L);
        assertThat(back.reservation().addresses()).isEqualTo(answer.reservation().addresses());
        assertThat(ReservationVoucher.open(back.reservation().voucher()))
                .isEqualTo(new ReservationVoucher(relay, client, 1_800_000_000L));
    }

    @Test
    void roundTripsAStopConnect() throws Exception {
        PeerId initiator = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        StopMessage connect = StopMessage.connect(RelayPeer.of(initiator), RelayLimit.NONE);
        StopMessage back = RelayCodec.decodeStop(RelayCodec.encode(connect));
        assertThat(back.type()).isEqualTo(StopMessage.Type.CONNECT);
        assertThat(back.peer().id()).isEqualTo(initiator);
        assertThat(back.limit()).isEqualTo(RelayLimit.NONE);
    }

    @Test
    void rejectsAMessageLongerThanTheLimit() {
        // uvarint 4097 = 81 20
        byte[] framed = new byte[2 + 4097];
        framed[0] = (byte) 0x81;
        framed[1] = 0x20;
        assertThatThrownBy(() -> RelayCodec.readHop(new ByteArrayInputStream(framed)))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("length-prefixed message of 4097 bytes exceeds the limit of 4096");
    }

    @Test
    void rejectsAHopMessageWithoutType() {
        assertThatThrownBy(() -> RelayCodec.decodeHop(new byte[0]))
                .isInstanceOf(PeerFaultException.class).hasMessage("hop message without a type");
    }

    @Test
    void rejectsUnknownTypesAndStatuses() {
        assertThatThrownBy(() -> RelayCodec.decodeHop(HEX.parseHex("0807")))
                .isInstanceOf(PeerFaultException.class).hasMessage("hop message of unknown type 7; expected 0 to 2");
        assertThatThrownBy(() -> RelayCodec.decodeStop(HEX.parseHex("08012063")))
                .isInstanceOf(PeerFaultException.class).hasMessage("stop message with unknown status 99");
    }

    @Test
    void rejectsAPeerWithoutId() {
        // CONNECT with an empty Peer message
        assertThatThrownBy(() -> RelayCodec.decodeHop(HEX.parseHex("08011200")))
                .isInstanceOf(PeerFaultException.class).hasMessage("relay peer without an id");
    }

    @Test
    void reportsAStreamThatEndsBeforeTheMessage() {
        assertThatThrownBy(() -> RelayCodec.readStop(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(EOFException.class).hasMessage("stream ended before the stop message");
    }

    @Test
    void rejectsAVoucherSignedByAnotherKey() {
        Ed25519PrivateKey other = Ed25519PrivateKey.generate();
        PeerId relay = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        assertThatThrownBy(() -> new ReservationVoucher(relay, relay, 1).seal(other))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
