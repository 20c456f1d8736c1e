package org.parley.libp2p.dnsaddr;

import java.io.IOException;

/**
 * A {@code /dnsaddr/} address could not be turned into dialable addresses: the DNS lookup failed
 * or timed out, the name has no {@code dnsaddr=} records (for the wanted peer), or the records
 * nest or fan out beyond the resolver's limits. The message names the address and the reason.
 */
public final class DnsaddrException extends IOException {

    public DnsaddrException(String message) {
        super(message);
    }

    public DnsaddrException(String message, Throwable cause) {
        super(message, cause);
    }
}
