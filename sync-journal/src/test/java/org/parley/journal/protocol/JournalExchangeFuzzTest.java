package org.parley.journal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.OutputStream;
import org.parley.journal.DeviceRoster;
import org.parley.journal.testing.Device;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FakeClock;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz target for the responder's state machine: whatever a sibling sends, the exchange ends
 * normally or with a peer fault (an invalid entry is one) or a cut-short stream, and stores only
 * entries that pass every check. Run a campaign as {@code FuzzChecks} describes.
 */
class JournalExchangeFuzzTest {

    private static final FakeClock CLOCK = new FakeClock();

    @FuzzTest
    void respond(byte[] input) throws Exception {
        Device me = new Device(CLOCK);
        Device sibling = new Device(CLOCK);
        DeviceRoster roster = Device.roster(me, sibling);
        JournalExchange exchange = new JournalExchange(me.journal, roster, sibling.id, new ByteArrayInputStream(input),
                OutputStream.nullOutputStream());
        try {
            exchange.respond();
        } catch (PeerFaultException | EOFException e) {
            FuzzChecks.requireClearMessage(e);
        }
        assertThat(me.journal.store().versionVector().head(sibling.id)).isZero();
    }
}
