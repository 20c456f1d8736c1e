package org.parley.libp2p.core;

import java.io.IOException;
import java.util.List;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * No transport of the host can dial (or listen on) an address, for example a QUIC address on a
 * host that speaks TCP only. A caller's mistake rather than a network failure: retrying will not
 * help, another address might. The message names the address and what the host can use instead.
 */
public final class UnsupportedAddressException extends IOException {

    private final List<Multiaddr> addresses;

    public UnsupportedAddressException(String message, List<Multiaddr> addresses) {
        super(message);
        this.addresses = List.copyOf(addresses);
    }

    /** The addresses that no transport could take. */
    public List<Multiaddr> addresses() {
        return addresses;
    }
}
