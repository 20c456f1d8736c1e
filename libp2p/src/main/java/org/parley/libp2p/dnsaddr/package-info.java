/**
 * {@code /dnsaddr/} multiaddrs: {@link org.parley.libp2p.dnsaddr.DnsaddrResolver} turns
 * {@code /dnsaddr/<host>[/p2p/<id>]} into dialable addresses through the {@code dnsaddr=} TXT
 * records at {@code _dnsaddr.<host>}, recursively and within named limits. This is how the public
 * libp2p bootstrap list names its peers.
 */
package org.parley.libp2p.dnsaddr;
