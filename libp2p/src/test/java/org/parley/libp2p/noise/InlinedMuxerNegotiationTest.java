package org.parley.libp2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.PeerFaultException;

class InlinedMuxerNegotiationTest {

    @Test
    void picksTheInitiatorsFirstChoiceThatTheResponderListed() throws Exception {
        assertThat(InlinedMuxerNegotiation.select(
                List.of("/mplex/6.7.0", "/yamux/1.0.0"), List.of("/yamux/1.0.0", "/mplex/6.7.0")))
                .isEqualTo("/mplex/6.7.0");
        assertThat(InlinedMuxerNegotiation.select(
                List.of("/quic-mux", "/yamux/1.0.0"), List.of("/mplex/6.7.0", "/yamux/1.0.0")))
                .isEqualTo("/yamux/1.0.0");
    }

    @Test
    void defersToMultistreamSelectWhenEitherListIsEmpty() throws Exception {
        assertThat(InlinedMuxerNegotiation.select(List.of(), List.of("/yamux/1.0.0"))).isNull();
        assertThat(InlinedMuxerNegotiation.select(List.of("/yamux/1.0.0"), List.of())).isNull();
        assertThat(InlinedMuxerNegotiation.select(List.of(), List.of())).isNull();
    }

    @Test
    void failsWhenBothListsArePresentButDisjoint() {
        assertThatThrownBy(() -> InlinedMuxerNegotiation.select(List.of("/yamux/1.0.0"), List.of("/mplex/6.7.0")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("no common stream muxer in the Noise handshake: initiator listed [/yamux/1.0.0],"
                        + " responder listed [/mplex/6.7.0]");
    }
}
