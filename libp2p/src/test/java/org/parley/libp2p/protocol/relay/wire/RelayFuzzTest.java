package org.parley.libp2p.protocol.relay.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for the circuit relay v2 messages: bad input fails only with a
 * {@link PeerFaultException} (or an {@link EOFException} for a cut stream) with a clear message,
 * and whatever decodes encodes again to something that decodes the same. See {@link FuzzChecks}.
 */
class RelayFuzzTest {

    @FuzzTest
    void readHop(byte[] input) throws IOException {
        HopMessage message;
        try {
            message = RelayCodec.readHop(new ByteArrayInputStream(input));
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        HopMessage again = RelayCodec.decodeHop(RelayCodec.encode(message));
        assertThat(again.type()).isEqualTo(message.type());
        assertThat(again.status()).isEqualTo(message.status());
        assertThat(again.peer()).isEqualTo(message.peer());
        assertThat(again.limit()).isEqualTo(message.limit());
    }

    @FuzzTest
    void readStop(byte[] input) throws IOException {
        StopMessage message;
        try {
            message = RelayCodec.readStop(new ByteArrayInputStream(input));
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(RelayCodec.decodeStop(RelayCodec.encode(message))).isEqualTo(message);
    }

    @FuzzTest
    void openVoucher(byte[] input) {
        try {
            ReservationVoucher voucher = ReservationVoucher.open(input);
            assertThat(voucher.relay()).isNotNull();
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }
}
