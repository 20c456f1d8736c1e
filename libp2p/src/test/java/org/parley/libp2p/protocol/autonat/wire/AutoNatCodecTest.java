package org.parley.libp2p.protocol.autonat.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

class AutoNatCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesAnOkResponseWithItsZeroStatusPresent() {
        byte[] body = AutoNatCodec.encode(new AutoNatMessage.DialResponse(AutoNatStatus.OK, "", null));
        // type DIAL_RESPONSE (1); dialResponse { status OK (0) }
        assertThat(HEX.formatHex(body)).isEqualTo("08011a020800");
    }

    @Test
    void roundTripsADial() throws Exception {
        PeerId peer = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        AutoNatMessage.Dial dial = new AutoNatMessage.Dial(peer, List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/4001")));
        assertThat(AutoNatCodec.decode(AutoNatCodec.encode(dial))).isEqualTo(dial);
    }

    @Test
    void keepsOnlyTheFirstSixteenAddresses() throws Exception {
        PeerId peer = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        List<Multiaddr> many = java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> Multiaddr.parse("/ip4/10.0.0." + i + "/tcp/4001")).toList();
        AutoNatMessage decoded = AutoNatCodec.decode(AutoNatCodec.encode(new AutoNatMessage.Dial(peer, many)));
        assertThat(((AutoNatMessage.Dial) decoded).addresses()).hasSize(AutoNatCodec.MAX_ADDRESSES);
    }

    @Test
    void rejectsMalformedMessagesWithClearErrors() {
        assertThatThrownBy(() -> AutoNatCodec.decode(new byte[0]))
                .isInstanceOf(PeerFaultException.class).hasMessage("AutoNAT message without a known type");
        assertThatThrownBy(() -> AutoNatCodec.decode(HEX.parseHex("0800")))
                .isInstanceOf(PeerFaultException.class).hasMessage("AutoNAT DIAL without the peer's id");
        assertThatThrownBy(() -> AutoNatCodec.decode(HEX.parseHex("08011a020807")))
                .isInstanceOf(PeerFaultException.class).hasMessage("AutoNAT DIAL_RESPONSE without a known status");
    }
}
