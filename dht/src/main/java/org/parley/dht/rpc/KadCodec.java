package org.parley.dht.rpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.pb.KadProtos;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.multiformats.Varint;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts {@link KadMessage}s to and from the kad protobuf, and frames them on streams: the only
 * class that touches the generated kad classes. Stateless and thread safe.
 *
 * <pre>
 *   frame   = uvarint(length) ‖ Message                      length ≤ 4 MiB, checked before allocation
 *   Message = type(1, enum) key(2, bytes) record(3) closerPeers(8, Peer*) providerPeers(9, Peer*)
 *   Peer    = id(1, binary PeerId) addrs(2, binary multiaddr*) connection(3, enum)
 *   Record  = key(1) value(2) timeReceived(5, RFC 3339)
 * </pre>
 *
 * Message is proto3 without {@code optional}: zero values are absent on the wire, so PUT_VALUE
 * (type 0) and NOT_CONNECTED (connection 0) are never written and an absent type reads as
 * PUT_VALUE. Peers with an invalid id are skipped and invalid addresses dropped, so one broken
 * entry never costs the rest of an answer.
 */
public final class KadCodec {

    private static final Logger LOG = LoggerFactory.getLogger(KadCodec.class);

    /**
     * Peers kept from one closerPeers or providerPeers list. An answer names k = 20 closer peers
     * and at most a server's per-key provider limit; ten times k leaves room for generous servers
     * while bounding what one 4 MiB reply can make us parse and hold.
     */
    public static final int MAX_PEERS_PER_LIST = 200;
    /**
     * Addresses kept per peer entry. Real peers announce a handful (one per transport and
     * interface); the rest of a longer list is dropped unparsed.
     */
    public static final int MAX_ADDRS_PER_PEER = 32;

    private KadCodec() {}

    public static byte[] encode(KadMessage message) {
        KadProtos.Message.Builder pb = KadProtos.Message.newBuilder()
                .setTypeValue(message.type().number())
                .setKey(ByteString.copyFrom(message.key()));
        if (message.record() != null) {
            KadRecord r = message.record();
            pb.setRecord(KadProtos.Record.newBuilder()
                    .setKey(ByteString.copyFrom(r.key()))
                    .setValue(ByteString.copyFrom(r.value()))
                    .setTimeReceived(r.timeReceived()));
        }
        for (PeerRef peer : message.closerPeers()) {
            pb.addCloserPeers(toWire(peer));
        }
        for (PeerRef peer : message.providerPeers()) {
            pb.addProviderPeers(toWire(peer));
        }
        return pb.build().toByteArray();
    }

    /**
     * Reads one encoded message (without its length prefix).
     *
     * @throws PeerFaultException if it is larger than {@link KadProtocol#MAX_MESSAGE_BYTES}, not a
     *     kad Message, or of an unknown type
     */
    public static KadMessage decode(byte[] bytes) throws PeerFaultException {
        if (bytes.length > KadProtocol.MAX_MESSAGE_BYTES) {
            throw tooLarge(bytes.length);
        }
        KadProtos.Message pb;
        try {
            pb = KadProtos.Message.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new PeerFaultException("malformed kad message: " + e.getMessage(), e);
        }
        KadMessage.Type type = typeOf(pb.getTypeValue());
        KadRecord record = null;
        if (pb.hasRecord()) {
            KadProtos.Record r = pb.getRecord();
            record = new KadRecord(r.getKey().toByteArray(), r.getValue().toByteArray(), r.getTimeReceived());
        }
        return new KadMessage(type, pb.getKey().toByteArray(), record,
                fromWire(pb.getCloserPeersList()), fromWire(pb.getProviderPeersList()));
    }

    /**
     * Reads one length-prefixed message from a stream.
     *
     * @return the message, or null if the stream ended cleanly before it
     * @throws PeerFaultException if the declared length exceeds the limit (before reading it) or
     *     the message is invalid
     */
    public static KadMessage read(InputStream in) throws IOException {
        long length = Varint.read(in);
        if (length < 0) {
            return null;
        }
        if (length > KadProtocol.MAX_MESSAGE_BYTES) {
            throw tooLarge(length);
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length != length) {
            throw new EOFException("stream ended after " + bytes.length + " of " + length + " kad message bytes");
        }
        return decode(bytes);
    }

    /**
     * Writes one length-prefixed message and flushes.
     *
     * @throws IllegalArgumentException if the message exceeds {@link KadProtocol#MAX_MESSAGE_BYTES}
     */
    public static void write(OutputStream out, KadMessage message) throws IOException {
        byte[] bytes = encode(message);
        if (bytes.length > KadProtocol.MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("kad message of " + bytes.length + " bytes exceeds the "
                    + KadProtocol.MAX_MESSAGE_BYTES + "-byte limit");
        }
        LengthPrefixed.write(out, bytes);
        out.flush();
    }

    private static PeerFaultException tooLarge(long length) {
        return new PeerFaultException("kad message of " + length + " bytes exceeds the "
                + KadProtocol.MAX_MESSAGE_BYTES + "-byte limit");
    }

    private static KadMessage.Type typeOf(int number) throws PeerFaultException {
        for (KadMessage.Type t : KadMessage.Type.values()) {
            if (t.number() == number) {
                return t;
            }
        }
        throw new PeerFaultException("unknown kad message type " + number + "; expected 0 to 5");
    }

    private static KadProtos.Message.Peer toWire(PeerRef peer) {
        KadProtos.Message.Peer.Builder pb = KadProtos.Message.Peer.newBuilder()
                .setId(ByteString.copyFrom(peer.id().bytes()));
        for (Multiaddr addr : peer.addrs()) {
            pb.addAddrs(ByteString.copyFrom(addr.bytes()));
        }
        return pb.build();
    }

    private static List<PeerRef> fromWire(List<KadProtos.Message.Peer> peers) {
        if (peers.size() > MAX_PEERS_PER_LIST) {
            LOG.debug("keeping the first {} of {} peers in a kad answer", MAX_PEERS_PER_LIST, peers.size());
        }
        List<PeerRef> out = new ArrayList<>(Math.min(peers.size(), MAX_PEERS_PER_LIST));
        for (KadProtos.Message.Peer pb : peers) {
            if (out.size() == MAX_PEERS_PER_LIST) {
                break;
            }
            PeerId id;
            try {
                id = PeerId.fromBytes(pb.getId().toByteArray());
            } catch (PeerFaultException e) {
                LOG.debug("skipping a kad peer entry with an invalid id: {}", e.getMessage());
                continue;
            }
            // A set, not a list: a reply may repeat addresses, and a hostile one repeats thousands.
            Set<Multiaddr> addrs = new LinkedHashSet<>();
            for (ByteString raw : pb.getAddrsList()) {
                if (addrs.size() == MAX_ADDRS_PER_PEER) {
                    LOG.debug("keeping the first {} of {} addresses of kad peer {}", MAX_ADDRS_PER_PEER,
                            pb.getAddrsCount(), id);
                    break;
                }
                try {
                    addrs.add(Multiaddr.fromBytes(raw.toByteArray()));
                } catch (PeerFaultException e) {
                    LOG.debug("dropping an invalid address of kad peer {}: {}", id, e.getMessage());
                }
            }
            out.add(new PeerRef(id, List.copyOf(addrs)));
        }
        return out;
    }
}
