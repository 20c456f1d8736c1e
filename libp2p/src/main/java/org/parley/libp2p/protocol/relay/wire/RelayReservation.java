package org.parley.libp2p.protocol.relay.wire;

import java.util.List;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * A reservation as the relay grants it in its answer to RESERVE.
 *
 * @param expireEpochSeconds when the reservation ends, Unix seconds (UTC)
 * @param addresses the relay's addresses, with {@code /p2p/<relay>} and without {@code /p2p-circuit}
 * @param voucher the signed voucher (envelope bytes), or null if the relay sent none
 */
public record RelayReservation(long expireEpochSeconds, List<Multiaddr> addresses, byte[] voucher) {

    public RelayReservation {
        addresses = List.copyOf(addresses);
        voucher = voucher == null ? null : voucher.clone();
    }

    @Override
    public byte[] voucher() {
        return voucher == null ? null : voucher.clone();
    }
}
