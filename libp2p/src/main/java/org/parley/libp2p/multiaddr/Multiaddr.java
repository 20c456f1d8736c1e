package org.parley.libp2p.multiaddr;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.peer.PeerId;

/**
 * A self-describing network address such as {@code /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW...}: a
 * sequence of protocol components, each with an optional value. Immutable and thread safe; equal
 * when the binary forms are equal.
 *
 * <p>Text input ({@link #parse}) fails with {@link InvalidMultiaddrException}; binary input from the
 * wire ({@link #fromBytes}) with {@link PeerFaultException}. Only protocols in {@link Protocol} are
 * accepted. An empty multiaddr (no components) can only arise from {@link #withoutPeerId()} on a
 * bare {@code /p2p/...} address; its text is the empty string.
 */
public final class Multiaddr {

    /**
     * The largest binary multiaddr accepted. Real addresses are under 300 bytes (a relayed WebRTC
     * address with two PeerIds and a certhash is about 150); 1 KiB leaves room while bounding what
     * an identify or kad message with many addresses can make us hold.
     */
    public static final int MAX_BYTES = 1024;
    /**
     * The longest text accepted: 4 characters per binary byte, the worst expansion of any value
     * ({@code /ip4/255.255.255.255} is 20 characters for 5 bytes).
     */
    public static final int MAX_TEXT_LENGTH = 4 * MAX_BYTES;

    private final byte[] bytes;
    private final List<Component> components;
    private final String text;

    private Multiaddr(List<Component> components) {
        byte[] encoded = MultiaddrCodec.encode(components);
        if (encoded.length > MAX_BYTES) {
            throw new InvalidMultiaddrException(
                    "multiaddr of " + encoded.length + " bytes exceeds the " + MAX_BYTES + "-byte limit");
        }
        this.bytes = encoded;
        this.components = List.copyOf(components);
        this.text = MultiaddrCodec.format(components);
    }

    /**
     * Parses the text form. {@code /ipfs/} reads as {@code /p2p/}; a PeerId may be base58btc or a
     * CIDv1; a certhash may use any supported multibase.
     *
     * @throws InvalidMultiaddrException naming the bad part, for example
     *     {@code unknown multiaddr protocol 'foo' in /ip4/1.2.3.4/foo}
     */
    public static Multiaddr parse(String text) {
        return new Multiaddr(MultiaddrCodec.parse(Objects.requireNonNull(text, "text")));
    }

    /**
     * Reads the binary form, as carried in identify, kad and relay messages.
     *
     * @throws PeerFaultException if the bytes are empty, longer than {@link #MAX_BYTES}, truncated,
     *     or hold an unknown protocol code or an invalid value
     */
    public static Multiaddr fromBytes(byte[] bytes) throws PeerFaultException {
        return new Multiaddr(MultiaddrCodec.decode(bytes));
    }

    /**
     * {@code /ip4/<a>/tcp/<port>} or {@code /ip6/<a>/tcp/<port>}; a scoped IPv6 address gets an
     * {@code /ip6zone/} prefix.
     *
     * @throws IllegalArgumentException if {@code port} is outside 0-65535
     */
    public static Multiaddr tcp(InetAddress address, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TCP port " + port + " is outside 0-65535");
        }
        byte[] portBytes = {(byte) (port >>> 8), (byte) port};
        List<Component> components = new ArrayList<>(3);
        if (address instanceof Inet6Address v6) {
            String zone = v6.getScopedInterface() != null ? v6.getScopedInterface().getName()
                    : v6.getScopeId() != 0 ? Integer.toString(v6.getScopeId()) : null;
            if (zone != null) {
                components.add(new Component(Protocol.IP6ZONE, zone.getBytes(StandardCharsets.UTF_8)));
            }
            components.add(new Component(Protocol.IP6, v6.getAddress()));
        } else if (address instanceof Inet4Address v4) {
            components.add(new Component(Protocol.IP4, v4.getAddress()));
        } else {
            throw new IllegalArgumentException("unsupported address type " + address.getClass().getName());
        }
        components.add(new Component(Protocol.TCP, portBytes));
        return new Multiaddr(components);
    }

    /** The binary form. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The components in order; immutable. */
    public List<Component> components() {
        return components;
    }

    /**
     * The peer this address reaches: the value of the trailing {@code /p2p/} component, or null if
     * the address does not end in one. A relay's id inside {@code .../p2p/R/p2p-circuit} is not the
     * peer the address reaches, so it is not returned.
     */
    public PeerId peerId() {
        if (components.isEmpty() || last().protocol() != Protocol.P2P) {
            return null;
        }
        try {
            return PeerId.fromBytes(last().value());
        } catch (PeerFaultException e) {
            throw new IllegalStateException("p2p value was validated on construction", e);
        }
    }

    /** This address ending in {@code /p2p/<peer>}: a trailing {@code /p2p/} is replaced, else one is appended. */
    public Multiaddr withPeerId(PeerId peer) {
        List<Component> out = new ArrayList<>(withoutPeerId().components);
        out.add(new Component(Protocol.P2P, peer.bytes()));
        return new Multiaddr(out);
    }

    /** This address without its trailing {@code /p2p/} component, or this if it has none. */
    public Multiaddr withoutPeerId() {
        if (components.isEmpty() || last().protocol() != Protocol.P2P) {
            return this;
        }
        return new Multiaddr(components.subList(0, components.size() - 1));
    }

    /** This address followed by {@code inner}, for example a relay address then {@code /p2p-circuit}. */
    public Multiaddr encapsulate(Multiaddr inner) {
        List<Component> out = new ArrayList<>(components);
        out.addAll(inner.components);
        return new Multiaddr(out);
    }

    /**
     * The socket address of a plain TCP address: {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>},
     * optionally with an {@code /ip6zone/} prefix and a trailing {@code /p2p/}. DNS names are left
     * unresolved.
     *
     * @throws IllegalStateException if this is not such an address (for example {@code .../tcp/443/ws})
     */
    public InetSocketAddress toTcpSocketAddress() {
        int start = !components.isEmpty() && components.getFirst().protocol() == Protocol.IP6ZONE ? 1 : 0;
        int end = !components.isEmpty() && last().protocol() == Protocol.P2P ? components.size() - 1 : components.size();
        if (end - start != 2 || components.get(start + 1).protocol() != Protocol.TCP) {
            throw notPlainTcp();
        }
        Component host = components.get(start);
        byte[] port = components.get(start + 1).value();
        int portNumber = ((port[0] & 0xFF) << 8) | (port[1] & 0xFF);
        return switch (host.protocol()) {
            case IP4 -> new InetSocketAddress(toInetAddress(host.value(), null), portNumber);
            case IP6 -> new InetSocketAddress(
                    toInetAddress(host.value(), start == 1 ? components.getFirst().textValue() : null), portNumber);
            case DNS, DNS4, DNS6 -> {
                if (start == 1) {
                    throw notPlainTcp();
                }
                yield InetSocketAddress.createUnresolved(host.textValue(), portNumber);
            }
            default -> throw notPlainTcp();
        };
    }

    private IllegalStateException notPlainTcp() {
        return new IllegalStateException("multiaddr " + text
                + " is not a plain TCP address; expected /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/p2p/<id>]");
    }

    private InetAddress toInetAddress(byte[] ip, String zone) {
        try {
            if (zone == null) {
                return InetAddress.getByAddress(ip);
            }
            int scopeId = IpAddresses.parseDecimal(zone, 10);
            if (scopeId >= 0) {
                return Inet6Address.getByAddress(null, ip, scopeId);
            }
            NetworkInterface nif = NetworkInterface.getByName(zone);
            if (nif == null) {
                throw new IllegalStateException("multiaddr " + text + " names IPv6 zone '" + zone
                        + "', which is not a network interface of this host");
            }
            return Inet6Address.getByAddress(null, ip, nif);
        } catch (UnknownHostException | SocketException e) {
            throw new IllegalStateException("multiaddr " + text + " has an unusable IP address: " + e.getMessage(), e);
        }
    }

    /**
     * The address of the leading {@code /ip4/} or {@code /ip6/} component (after any
     * {@code /ip6zone/}): 4 bytes for IPv4, including IPv4-mapped IPv6, 16 for IPv6; null if the
     * address does not start with an IP.
     */
    public byte[] ipBytes() {
        Component host = hostComponent();
        if (host == null || (host.protocol() != Protocol.IP4 && host.protocol() != Protocol.IP6)) {
            return null;
        }
        return IpAddresses.unmap(host.value()).clone();
    }

    /** True if the address starts with a loopback IP (127.0.0.0/8, ::1) or the name {@code localhost}. */
    public boolean isLoopback() {
        byte[] ip = ipBytes();
        if (ip != null) {
            return IpAddresses.isLoopback(ip);
        }
        String name = dnsName();
        return name != null && (name.equals("localhost") || name.endsWith(".localhost"));
    }

    /**
     * True if the address starts with an IP or name only meaningful inside one host or site:
     * loopback, unspecified, RFC 1918, CGNAT 100.64.0.0/10, link-local, IPv6 unique-local, or a
     * {@code localhost}, {@code .local} or {@code .home.arpa} name.
     */
    public boolean isPrivateOrLocal() {
        byte[] ip = ipBytes();
        if (ip != null) {
            return IpAddresses.isPrivateOrLocal(ip);
        }
        String name = dnsName();
        return name != null && (isLoopback() || name.endsWith(".local") || name.endsWith(".home.arpa"));
    }

    /**
     * True if the address starts with a globally routable unicast IP, or a DNS name that is not
     * private or local. False for addresses with neither (for example {@code /p2p/.../p2p-circuit}).
     */
    public boolean isPublic() {
        byte[] ip = ipBytes();
        if (ip != null) {
            return IpAddresses.isPublic(ip);
        }
        return dnsName() != null && !isPrivateOrLocal();
    }

    private Component hostComponent() {
        if (components.isEmpty()) {
            return null;
        }
        Component first = components.getFirst();
        if (first.protocol() == Protocol.IP6ZONE) {
            return components.size() > 1 ? components.get(1) : null;
        }
        return first;
    }

    /** The lower-cased leading DNS name without a trailing dot, or null. */
    private String dnsName() {
        Component host = hostComponent();
        if (host == null) {
            return null;
        }
        return switch (host.protocol()) {
            case DNS, DNS4, DNS6, DNSADDR -> {
                String name = host.textValue().toLowerCase(Locale.ROOT);
                yield name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            }
            default -> null;
        };
    }

    private Component last() {
        return components.getLast();
    }

    /** The canonical text form; the empty string for the empty multiaddr. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multiaddr other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /**
     * One protocol and its binary value (empty for protocols without a value). Immutable: the value
     * is copied in and out.
     *
     * @throws IllegalArgumentException from the constructor if the value is not valid for the protocol
     */
    public record Component(Protocol protocol, byte[] value) {

        public Component {
            Objects.requireNonNull(protocol, "protocol");
            value = value.clone();
            String problem = ValueCodec.problem(protocol, value);
            if (problem != null) {
                throw new IllegalArgumentException("invalid multiaddr " + protocol + " value: " + problem);
            }
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        /** The value in text form ({@code 4001}, {@code 12D3KooW...}), or null if the protocol has none. */
        public String textValue() {
            return ValueCodec.toText(protocol, value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Component other && protocol == other.protocol && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return 31 * protocol.hashCode() + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return protocol.hasValue() ? "/" + protocol.protocolName() + "/" + textValue() : "/" + protocol.protocolName();
        }
    }
}
