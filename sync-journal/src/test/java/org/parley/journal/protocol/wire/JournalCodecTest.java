package org.parley.journal.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.journal.protocol.JournalLimits;
import org.parley.journal.store.VersionVector;
import org.parley.journal.testing.Device;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FakeClock;

class JournalCodecTest {

    private final FakeClock clock = new FakeClock();

    @Test
    void doneHasOneByteForItsFlag() throws Exception {
        assertThat(HexFormat.of().formatHex(JournalCodec.encode(new JournalMessage.Done(true)))).isEqualTo("0301");
        assertThat(JournalCodec.decode(HexFormat.of().parseHex("0300"))).isEqualTo(new JournalMessage.Done(false));
    }

    @Test
    void everyMessageRoundTripsThroughAFrame() throws Exception {
        Device a = new Device(clock);
        Device b = new Device(clock);
        List<JournalMessage> messages = List.of(
                new JournalMessage.Vector(new VersionVector(Map.of(a.id, 3L, b.id, 1L))),
                new JournalMessage.Vector(VersionVector.EMPTY),
                new JournalMessage.Entries(a.append(3, "x")),
                new JournalMessage.Done(false));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JournalMessage m : messages) {
            JournalCodec.write(out, m);
        }
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        for (JournalMessage m : messages) {
            assertThat(JournalCodec.read(in)).isEqualTo(m);
        }
        assertThat(JournalCodec.read(in)).isNull();
    }

    @Test
    void refusesAnUnknownType() {
        assertThatThrownBy(() -> JournalCodec.decode(new byte[] {9}))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("unknown journal message type 9; expected 1..3");
    }

    @Test
    void refusesAFlagOtherThanZeroOrOne() {
        assertThatThrownBy(() -> JournalCodec.decode(new byte[] {3, 2}))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Done's more flag is 2; expected 0 or 1");
    }

    @Test
    void refusesTrailingBytes() {
        assertThatThrownBy(() -> JournalCodec.decode(new byte[] {3, 0, 0}))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("1 bytes after the end of a journal message of type 3");
    }

    @Test
    void refusesAVectorOfTooManyDevicesBeforeReadingThem() {
        assertThatThrownBy(() -> JournalCodec.decode(new byte[] {1, 0x01, 0x01}))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("version vector of 257 devices exceeds 256");
    }

    @Test
    void refusesAVectorOutOfOrder() {
        Device a = new Device(clock);
        Device b = new Device(clock);
        byte[] ab = JournalCodec.encode(new JournalMessage.Vector(new VersionVector(Map.of(a.id, 1L, b.id, 1L))));
        int one = 3 + 1 + a.id.bytes().length + 8;
        byte[] swapped = new byte[ab.length];
        System.arraycopy(ab, 0, swapped, 0, 3);
        System.arraycopy(ab, one, swapped, 3, ab.length - one);
        System.arraycopy(ab, 3, swapped, 3 + ab.length - one, one - 3);
        assertThatThrownBy(() -> JournalCodec.decode(swapped))
                .isInstanceOf(PeerFaultException.class)
                .hasMessageStartingWith("version vector devices are not in ascending order at ");
    }

    @Test
    void refusesAnEmptyBatchAndAnOversizedOne() {
        assertThatThrownBy(() -> JournalCodec.decode(new byte[] {2, 0, 0}))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("batch of 0 entries is outside 1..512");
        assertThatThrownBy(() -> JournalCodec.decode(new byte[] {2, 0x02, 0x01}))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("batch of 513 entries is outside 1..512");
    }

    @Test
    void refusesAnEntryLengthBeyondTheLimitBeforeAllocating() {
        assertThatThrownBy(() -> JournalCodec.decode(new byte[] {2, 0, 1, 0x7F, 0, 0, 0}))
                .isInstanceOf(PeerFaultException.class)
                .hasMessageStartingWith("entry 0 of 2130706432 bytes is outside ");
    }

    @Test
    void refusesAFrameBeyondTheLimitBeforeAllocating() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        org.parley.libp2p.multiformats.Varint.write(JournalLimits.MAX_FRAME_BYTES + 1, out);
        assertThatThrownBy(() -> JournalCodec.read(new ByteArrayInputStream(out.toByteArray())))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("length-prefixed message of " + (JournalLimits.MAX_FRAME_BYTES + 1)
                        + " bytes exceeds the limit of " + JournalLimits.MAX_FRAME_BYTES);
    }
}
