package org.parley.libp2p.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.PeerFaultException;

class MultistreamSelectTest {

    private static final String HEADER = "132f6d756c746973747265616d2f312e302e300a";
    private static final String NA = "036e610a";
    private static final String LS = "036c730a";
    private static final String NOISE = "072f6e6f6973650a";
    private static final String YAMUX = "0d2f79616d75782f312e302e300a";
    private static final String TLS = hex("/tls/1.0.0");
    private static final String NOISE_MSG_1 = "0020" + "11".repeat(32);

    @Test
    void dialerSendsHeaderAndProposalInOneWrite() throws IOException {
        ScriptedDuplex wire = ScriptedDuplex.fromHex(HEADER + NOISE);

        assertThat(MultistreamSelect.select(wire, List.of("/noise"))).isEqualTo("/noise");

        assertThat(wire.writtenHex()).isEqualTo(HEADER + NOISE);
        assertThat(wire.writeCount()).isEqualTo(1);
    }

    @Test
    void dialerTriesTheNextProposalAfterNa() throws IOException {
        // The go dialer against a Noise-only listener, libp2p-wire.md §3.
        ScriptedDuplex wire = ScriptedDuplex.fromHex(HEADER + NA + NOISE);

        assertThat(MultistreamSelect.select(wire, List.of("/tls/1.0.0", "/noise"))).isEqualTo("/noise");

        assertThat(wire.writtenHex()).isEqualTo(HEADER + TLS + NOISE);
    }

    @Test
    void dialerLeavesDataAfterTheEchoInTheStream() throws IOException {
        ScriptedDuplex wire = ScriptedDuplex.fromHex(HEADER + NOISE + NOISE_MSG_1);

        MultistreamSelect.select(wire, List.of("/noise"));

        assertThat(HexFormat.of().formatHex(wire.in().readAllBytes())).isEqualTo(NOISE_MSG_1);
    }

    @Test
    void dialerFailsWhenEveryProposalIsRefused() {
        ScriptedDuplex wire = ScriptedDuplex.fromHex(HEADER + NA + NA);

        assertThatThrownBy(() -> MultistreamSelect.select(wire, List.of("/tls/1.0.0", "/noise")))
                .isInstanceOfSatisfying(ProtocolNotSupportedException.class,
                        e -> assertThat(e.protocols()).containsExactly("/tls/1.0.0", "/noise"))
                .hasMessage("remote supports none of [/tls/1.0.0, /noise]");
    }

    @Test
    void dialerRejectsAnAnswerThatIsNeitherEchoNorNa() {
        ScriptedDuplex wire = ScriptedDuplex.fromHex(HEADER + YAMUX);

        assertThatThrownBy(() -> MultistreamSelect.select(wire, List.of("/noise")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("multistream-select answer to '/noise' was '/yamux/1.0.0'; expected the same id or 'na'");
    }

    @Test
    void dialerRejectsAWrongHeader() {
        ScriptedDuplex wire = ScriptedDuplex.fromHex(hex("/multistream/2.0.0") + NOISE);

        assertThatThrownBy(() -> MultistreamSelect.select(wire, List.of("/noise")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("expected the multistream-select header '/multistream/1.0.0', got '/multistream/2.0.0'");
    }

    @Test
    void dialerRefusesToProposeWhatCannotBeSent() {
        ScriptedDuplex wire = ScriptedDuplex.fromHex("");

        assertThatThrownBy(() -> MultistreamSelect.select(wire, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no protocol to propose");
        assertThatThrownBy(() -> MultistreamSelect.select(wire, List.of("/a\n/b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(wire.writeCount()).isZero();
    }

    @Test
    void listenerAnswersNaToUnknownProposalAndKeepsReading() throws IOException {
        ScriptedDuplex wire = ScriptedDuplex.fromHex(HEADER + TLS + NOISE + NOISE_MSG_1);

        assertThat(MultistreamSelect.handle(wire, Set.of("/noise"))).isEqualTo("/noise");

        assertThat(wire.writtenHex()).isEqualTo(HEADER + NA + NOISE);
        assertThat(HexFormat.of().formatHex(wire.in().readAllBytes())).isEqualTo(NOISE_MSG_1);
    }

    @Test
    void listenerBatchesItsHeaderWithTheFirstAnswer() throws IOException {
        ScriptedDuplex wire = ScriptedDuplex.fromHex(HEADER + YAMUX);

        MultistreamSelect.handle(wire, Set.of("/yamux/1.0.0"));

        assertThat(wire.writtenHex()).isEqualTo(HEADER + YAMUX);
        assertThat(wire.writeCount()).isEqualTo(1);
    }

    @Test
    void listenerAnswersLsWithItsProtocols() throws IOException {
        ScriptedDuplex wire = ScriptedDuplex.fromHex(HEADER + LS + YAMUX);

        MultistreamSelect.handle(wire, Set.of("/yamux/1.0.0", "/noise"));

        String listing = "17" + NOISE + YAMUX + "0a";
        assertThat(wire.writtenHex()).isEqualTo(HEADER + listing + YAMUX);
    }

    @Test
    void listenerWithAPredicateAnswersLsWithNa() throws IOException {
        ScriptedDuplex wire = ScriptedDuplex.fromHex(HEADER + LS + NOISE);

        MultistreamSelect.handle(wire, "/noise"::equals);

        assertThat(wire.writtenHex()).isEqualTo(HEADER + NA + NOISE);
    }

    @Test
    void listenerGivesUpAfterTheAttemptLimit() {
        StringBuilder script = new StringBuilder(HEADER);
        for (int i = 0; i <= MultistreamSelect.MAX_LISTENER_ATTEMPTS; i++) {
            script.append(hex("/unknown/" + i));
        }
        ScriptedDuplex wire = ScriptedDuplex.fromHex(script.toString());

        assertThatThrownBy(() -> MultistreamSelect.handle(wire, Set.of("/noise")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("dialer made 32 multistream-select proposals without a supported one; the last was '/unknown/31'");
        assertThat(wire.writtenHex()).isEqualTo(HEADER + NA.repeat(MultistreamSelect.MAX_LISTENER_ATTEMPTS));
    }

    @Test
    void listenerRejectsADialerThatSkipsTheHeader() {
        ScriptedDuplex wire = ScriptedDuplex.fromHex(NOISE);

        assertThatThrownBy(() -> MultistreamSelect.handle(wire, Set.of("/noise")))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("expected the multistream-select header '/multistream/1.0.0', got '/noise'");
    }

    @Test
    void listenerHandsTheStreamOnWhenTheEchoCannotBeWritten() throws IOException {
        // The dialer sent header, proposal and request, then closed (go-multistream #87).
        String request = "0568656c6c6f";
        ScriptedDuplex wire = new ScriptedDuplex(
                HexFormat.of().parseHex(HEADER + hex("/echo/1.0.0") + request), true);

        assertThat(MultistreamSelect.handle(wire, Set.of("/echo/1.0.0"))).isEqualTo("/echo/1.0.0");

        assertThat(HexFormat.of().formatHex(wire.in().readAllBytes())).isEqualTo(request);
    }

    private static String hex(String message) {
        return HexFormat.of().formatHex(MultistreamCodec.encode(message));
    }
}
