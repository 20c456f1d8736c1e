package org.parley.libp2p.multiaddr;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The multiaddr protocols this node understands, with their multicodec code and value size
 * (multiformats/multiaddr protocols.csv). Immutable.
 *
 * <p>A decoder cannot skip a code it does not know (a value has no generic length), so an address
 * containing any other code is rejected as a whole.
 */
public enum Protocol {
    IP4(4, "ip4", 32, ValueFormat.IP4),
    TCP(6, "tcp", 16, ValueFormat.PORT),
    DCCP(33, "dccp", 16, ValueFormat.PORT),
    IP6(41, "ip6", 128, ValueFormat.IP6),
    IP6ZONE(42, "ip6zone", Protocol.VARIABLE_SIZE, ValueFormat.NAME),
    DNS(53, "dns", Protocol.VARIABLE_SIZE, ValueFormat.NAME),
    DNS4(54, "dns4", Protocol.VARIABLE_SIZE, ValueFormat.NAME),
    DNS6(55, "dns6", Protocol.VARIABLE_SIZE, ValueFormat.NAME),
    DNSADDR(56, "dnsaddr", Protocol.VARIABLE_SIZE, ValueFormat.NAME),
    SCTP(132, "sctp", 16, ValueFormat.PORT),
    UDP(273, "udp", 16, ValueFormat.PORT),
    WEBRTC_DIRECT(280, "webrtc-direct", 0, ValueFormat.NONE),
    WEBRTC(281, "webrtc", 0, ValueFormat.NONE),
    P2P_CIRCUIT(290, "p2p-circuit", 0, ValueFormat.NONE),
    /**
     * An in-JVM listener ({@code /memory/<name>}, multicodec 0x0309) for tests and simulations;
     * never announced to other processes. The value is a name, as js-libp2p encodes it.
     */
    MEMORY(0x0309, "memory", Protocol.VARIABLE_SIZE, ValueFormat.NAME),
    P2P(421, "p2p", Protocol.VARIABLE_SIZE, ValueFormat.PEER_ID),
    TLS(448, "tls", 0, ValueFormat.NONE),
    SNI(449, "sni", Protocol.VARIABLE_SIZE, ValueFormat.NAME),
    NOISE(454, "noise", 0, ValueFormat.NONE),
    /** QUIC draft-29: still advertised by old go peers, so decoded; never emitted by this node. */
    QUIC(460, "quic", 0, ValueFormat.NONE),
    QUIC_V1(461, "quic-v1", 0, ValueFormat.NONE),
    WEBTRANSPORT(465, "webtransport", 0, ValueFormat.NONE),
    CERTHASH(466, "certhash", Protocol.VARIABLE_SIZE, ValueFormat.MULTIHASH),
    WS(477, "ws", 0, ValueFormat.NONE),
    /** Deprecated alias of {@code /tls/ws}, still common in listen addresses. */
    WSS(478, "wss", 0, ValueFormat.NONE),
    HTTP(480, "http", 0, ValueFormat.NONE);

    /** The {@link #sizeBits()} of a protocol whose value is length-prefixed. */
    public static final int VARIABLE_SIZE = -1;

    /** The old name of {@code p2p}; read as p2p, never written. */
    private static final String IPFS_ALIAS = "ipfs";

    private static final Map<Integer, Protocol> BY_CODE = new HashMap<>();
    private static final Map<String, Protocol> BY_NAME = new HashMap<>();

    static {
        for (Protocol p : values()) {
            BY_CODE.put(p.code, p);
            BY_NAME.put(p.protocolName, p);
        }
        BY_NAME.put(IPFS_ALIAS, P2P);
    }

    private final int code;
    private final String protocolName;
    private final int sizeBits;
    private final ValueFormat format;

    Protocol(int code, String protocolName, int sizeBits, ValueFormat format) {
        this.code = code;
        this.protocolName = protocolName;
        this.sizeBits = sizeBits;
        this.format = format;
    }

    /** The multicodec code, written as a uvarint in the binary form. */
    public int code() {
        return code;
    }

    /** The name used in the text form, for example {@code quic-v1}. */
    public String protocolName() {
        return protocolName;
    }

    /** The value size in bits: fixed (32 for ip4), 0 for no value, or {@link #VARIABLE_SIZE}. */
    public int sizeBits() {
        return sizeBits;
    }

    /** True if the protocol carries a value ({@code /tcp/4001}), false for a bare one ({@code /ws}). */
    public boolean hasValue() {
        return sizeBits != 0;
    }

    ValueFormat format() {
        return format;
    }

    /** The protocol with this multicodec code, if known. */
    public static Optional<Protocol> forCode(long code) {
        return code < 0 || code > Integer.MAX_VALUE ? Optional.empty() : Optional.ofNullable(BY_CODE.get((int) code));
    }

    /** The protocol with this text name ({@code ipfs} reads as {@link #P2P}), if known. */
    public static Optional<Protocol> forName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    @Override
    public String toString() {
        return protocolName;
    }

    /** How a value is transcoded between bytes and text. */
    enum ValueFormat { NONE, IP4, IP6, PORT, NAME, PEER_ID, MULTIHASH }
}
