package org.parley.node.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for {@code /parley/link/1.0.0}, {@code /parley/devices/1.0.0}, the signed device
 * list and link code text: what decodes re-encodes to the same bytes; bad bytes fail only with
 * {@link PeerFaultException} (or {@link EOFException} for a stream cut short, {@link LinkException}
 * for code text). See {@link FuzzChecks} for running a campaign.
 */
class DevicesFuzzTest {

    @FuzzTest
    void linkMessage(byte[] input) {
        LinkMessage message;
        try {
            message = LinkCodec.decode(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        byte[] encoded = LinkCodec.encode(message);
        try {
            assertThat(LinkCodec.encode(LinkCodec.decode(encoded))).isEqualTo(encoded);
        } catch (PeerFaultException e) {
            throw new AssertionError("a re-encoded link message does not decode", e);
        }
    }

    @FuzzTest
    void readLinkMessage(byte[] input) throws IOException {
        try {
            assertThat(LinkCodec.read(new ByteArrayInputStream(input))).isNotNull();
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }

    @FuzzTest
    void signedDeviceList(byte[] input) throws PeerFaultException {
        SignedDeviceList list;
        try {
            list = SignedDeviceList.decode(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(SignedDeviceList.decode(list.encode())).isEqualTo(list);
        assertThat(list.encode()).isEqualTo(input);
    }

    @FuzzTest
    void deviceListRequest(byte[] input) throws IOException {
        DeviceListExchange.Request request;
        try {
            request = DeviceListExchange.read(new ByteArrayInputStream(input));
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(DeviceListExchange.read(new ByteArrayInputStream(DeviceListExchange.encode(request))))
                .isEqualTo(request);
    }

    @FuzzTest
    void linkCodeText(String input) {
        try {
            LinkCode code = LinkCode.parse(input);
            assertThat(LinkCode.parse(code.format())).isEqualTo(code);
        } catch (LinkException e) {
            FuzzChecks.requireClearMessage(e);
        }
    }
}
