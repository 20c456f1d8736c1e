package org.parley.journal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.parley.journal.DeviceRoster;
import org.parley.journal.testing.Device;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FakeClock;

/** The per-exchange entry limit, lowered to 100 so a test reaches it: the rest follows in later exchanges. */
class ExchangeLimitTest {

    private final FakeClock clock = new FakeClock();
    private final Device one = new Device(clock);
    private final Device two = new Device(clock);
    private final DeviceRoster roster = Device.roster(one, two);

    /** One exchange, {@code two} initiating, with these per-exchange limits. */
    private ExchangeResult[] exchange(int initiatorLimit, int responderLimit) throws Exception {
        Pipe toResponder = Pipe.open();
        Pipe toInitiator = Pipe.open();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ExchangeResult> responder = executor.submit(() -> {
                try {
                    return new JournalExchange(one.journal, roster, two.id, Channels.newInputStream(toResponder.source()),
                            Channels.newOutputStream(toInitiator.sink()), responderLimit).respond();
                } finally {
                    toInitiator.sink().close();
                }
            });
            ExchangeResult initiator;
            try {
                initiator = new JournalExchange(two.journal, roster, one.id, Channels.newInputStream(toInitiator.source()),
                        Channels.newOutputStream(toResponder.sink()), initiatorLimit).initiate();
            } finally {
                toResponder.sink().close();
            }
            try {
                return new ExchangeResult[] {initiator, responder.get()};
            } catch (ExecutionException e) {
                throw (Exception) e.getCause();
            }
        }
    }

    @Test
    void aSideThatHasMoreThanOneExchangeCarriesSaysSoAndTheNextExchangesCarryTheRest() throws Exception {
        one.append(250, "one");

        ExchangeResult[] first = exchange(100, 100);
        assertThat(first[0].entriesStored()).isEqualTo(100);
        assertThat(first[0].more()).isTrue();
        ExchangeResult[] second = exchange(100, 100);
        assertThat(second[0].entriesStored()).isEqualTo(100);
        assertThat(second[0].more()).isTrue();
        ExchangeResult[] third = exchange(100, 100);
        assertThat(third[0].entriesStored()).isEqualTo(50);
        assertThat(third[0].more()).isFalse();

        assertThat(two.texts()).isEqualTo(one.texts()).hasSize(250);
    }

    @Test
    void aReceiverRefusesMoreThanItsLimitInOneExchange() {
        one.append(150, "one");

        assertThatThrownBy(() -> exchange(100, 1000))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("the peer sent more than 100 entries in one exchange");
    }
}
