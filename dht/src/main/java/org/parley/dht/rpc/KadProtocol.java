package org.parley.dht.rpc;

/** Constants of the {@code /ipfs/kad/1.0.0} wire protocol. */
public final class KadProtocol {

    /** The protocol id negotiated with multistream-select; Amino, the public DHT, uses it. */
    public static final String PROTOCOL_ID = "/ipfs/kad/1.0.0";

    /**
     * The largest message read or written: go-libp2p-kad-dht's soft maximum, 4 MiB. A response of k
     * peers with a few addresses each is a few KiB; only a value record comes near it.
     */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    /** go-libp2p-kad-dht refuses ADD_PROVIDER keys longer than 80 bytes (a multihash is ~34). */
    public static final int MAX_PROVIDER_KEY_BYTES = 80;

    private KadProtocol() {}
}
