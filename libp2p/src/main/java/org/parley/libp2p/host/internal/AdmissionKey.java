package org.parley.libp2p.host.internal;

import java.util.List;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Protocol;

/**
 * Who a pending handshake is counted against by {@link HandshakeAdmission}: an {@code address} (one
 * remote end) and the wider {@code group} it belongs to (the subnet of an IP address).
 *
 * <p>The remote IP is the right key only for a connection that came straight from that IP. A
 * circuit comes from the relay's IP whoever opened it, so keying circuits on it would let a few
 * silent circuits through one relay lock every other peer behind that relay out. A circuit is
 * counted against its source peer (the relay vouches for it: the relay authenticated that peer) and
 * grouped by relay. An address without an IP (the in-memory transport) is its own key.
 */
record AdmissionKey(String address, String group) {

    /** The IPv4 prefix one site or one rented block typically spans. */
    static final int IPV4_SUBNET_BITS = 24;

    /** What RIPE and ARIN recommend handing one home or site (RFC 6177): a /56 is one customer. */
    static final int IPV6_SUBNET_BITS = 56;

    /** The key of a connection whose remote end is {@code remote}. */
    static AdmissionKey of(Multiaddr remote) {
        List<Multiaddr.Component> components = remote.components();
        for (int i = 0; i < components.size(); i++) {
            if (components.get(i).protocol() == Protocol.P2P_CIRCUIT) {
                String relay = i > 0 && components.get(i - 1).protocol() == Protocol.P2P
                        ? components.get(i - 1).textValue() : "?";
                String source = remote.peerId() == null ? "?" : remote.peerId().toString();
                return new AdmissionKey("circuit/" + relay + "/" + source, "relay/" + relay);
            }
        }
        byte[] ip = remote.ipBytes();
        if (ip == null) {
            String transport = components.isEmpty() ? "?" : components.getFirst().protocol().name().toLowerCase();
            return new AdmissionKey(remote.toString(), transport);
        }
        return ofIp(ip);
    }

    /** The key of a connection straight from {@code ip} (4 or 16 bytes): the IP, grouped by subnet. */
    static AdmissionKey ofIp(byte[] ip) {
        return new AdmissionKey(prefix(ip, ip.length * 8),
                prefix(ip, ip.length == 4 ? IPV4_SUBNET_BITS : IPV6_SUBNET_BITS));
    }

    /** The first {@code bits} of {@code ip} as a map key, for example {@code 7f0000/24}. */
    static String prefix(byte[] ip, int bits) {
        byte[] prefix = new byte[(bits + 7) / 8];
        System.arraycopy(ip, 0, prefix, 0, prefix.length);
        if (bits % 8 != 0) {
            prefix[prefix.length - 1] &= (byte) (0xFF << (8 - bits % 8));
        }
        return java.util.HexFormat.of().formatHex(prefix) + "/" + bits;
    }
}
