package org.parley.dht.rpc;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.parley.dht.routing.PeerRef;

/**
 * One {@code /ipfs/kad/1.0.0} request or response, as the DHT's logic sees it; {@link KadCodec}
 * converts it to and from the protobuf. Immutable.
 *
 * <p>The wire's {@code Peer.connection} hint is not carried: no lookup logic depends on it, and
 * leaving it out writes it as absent (NOT_CONNECTED), which every implementation accepts.
 *
 * @param key the key being asked about; empty for PING
 * @param record the value record of PUT_VALUE and of a GET_VALUE answer, or null
 */
public record KadMessage(Type type, byte[] key, KadRecord record, List<PeerRef> closerPeers,
        List<PeerRef> providerPeers) {

    /** The message types; numbers are the wire's. */
    public enum Type {
        PUT_VALUE(0), GET_VALUE(1), ADD_PROVIDER(2), GET_PROVIDERS(3), FIND_NODE(4), PING(5);

        private final int number;

        Type(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }
    }

    public KadMessage {
        Objects.requireNonNull(type, "type");
        key = key.clone();
        closerPeers = List.copyOf(closerPeers);
        providerPeers = List.copyOf(providerPeers);
    }

    public static KadMessage findNode(byte[] key) {
        return new KadMessage(Type.FIND_NODE, key, null, List.of(), List.of());
    }

    public static KadMessage getProviders(byte[] key) {
        return new KadMessage(Type.GET_PROVIDERS, key, null, List.of(), List.of());
    }

    /** ADD_PROVIDER announcing {@code self} (with its addresses) as a provider of {@code key}. */
    public static KadMessage addProvider(byte[] key, PeerRef self) {
        return new KadMessage(Type.ADD_PROVIDER, key, null, List.of(), List.of(self));
    }

    public static KadMessage getValue(byte[] key) {
        return new KadMessage(Type.GET_VALUE, key, null, List.of(), List.of());
    }

    /** PUT_VALUE: the message key is the record key, as servers require. */
    public static KadMessage putValue(KadRecord record) {
        return new KadMessage(Type.PUT_VALUE, record.key(), record, List.of(), List.of());
    }

    public static KadMessage ping() {
        return new KadMessage(Type.PING, new byte[0], null, List.of(), List.of());
    }

    /** The answer to this request: same type and key, with the given content. */
    public KadMessage response(KadRecord answerRecord, List<PeerRef> closer, List<PeerRef> providers) {
        return new KadMessage(type, key, answerRecord, closer, providers);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KadMessage other && type == other.type && Arrays.equals(key, other.key)
                && Objects.equals(record, other.record) && closerPeers.equals(other.closerPeers)
                && providerPeers.equals(other.providerPeers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(key), record, closerPeers, providerPeers);
    }

    @Override
    public String toString() {
        return "KadMessage[" + type + " key=" + HexFormat.of().formatHex(key)
                + (record != null ? " " + record : "")
                + (closerPeers.isEmpty() ? "" : " closer=" + closerPeers.size())
                + (providerPeers.isEmpty() ? "" : " providers=" + providerPeers.size()) + "]";
    }
}
