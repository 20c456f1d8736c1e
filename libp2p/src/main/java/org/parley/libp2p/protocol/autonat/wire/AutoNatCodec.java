package org.parley.libp2p.protocol.autonat.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.autonat.pb.AutoNatProtos;

/**
 * Bytes to and from {@link AutoNatMessage}s, with every limit checked; the only place that touches
 * the generated AutoNAT protobuf classes.
 *
 * <pre>
 *   stream  = uvarint(len) ‖ Message (protobuf, len ≤ 4096), once each way
 *   Message = type:1 (DIAL=0, DIAL_RESPONSE=1) dial:2 dialResponse:3
 *   Dial = peer:1 PeerInfo{id:1 bytes, addrs:2 repeated bytes}
 *   DialResponse = status:1 (OK=0 E_DIAL_ERROR=100 E_DIAL_REFUSED=101 E_BAD_REQUEST=200
 *                  E_INTERNAL_ERROR=300) statusText:2 string, addr:3 bytes
 * </pre>
 *
 * proto2, so a DIAL (type 0) and an OK (status 0) are present on the wire. Stateless, thread safe.
 */
public final class AutoNatCodec {

    /** go-libp2p's {@code maxMsgSize}: a dial request with a dozen addresses is a few hundred bytes. */
    public static final int MAX_MESSAGE_BYTES = 4096;

    /**
     * Addresses of one dial request we look at: go's {@code maxPeerAddresses}. More is a peer
     * trying to make us dial a list for it.
     */
    public static final int MAX_ADDRESSES = 16;

    /** The longest status text kept; it is only for logs. */
    static final int MAX_STATUS_TEXT = 256;

    private AutoNatCodec() {}

    /**
     * Reads one message.
     *
     * @throws PeerFaultException if it is too long or malformed
     * @throws EOFException if the stream ends before or inside it
     */
    public static AutoNatMessage read(InputStream in) throws IOException {
        byte[] frame = LengthPrefixed.read(in, MAX_MESSAGE_BYTES);
        if (frame == null) {
            throw new EOFException("stream ended before the AutoNAT message");
        }
        return decode(frame);
    }

    /** Writes one message, length-prefixed, and flushes. */
    public static void write(OutputStream out, AutoNatMessage message) throws IOException {
        LengthPrefixed.write(out, encode(message));
        out.flush();
    }

    /** The protobuf body of {@code message}. */
    public static byte[] encode(AutoNatMessage message) {
        AutoNatProtos.Message.Builder pb = AutoNatProtos.Message.newBuilder();
        switch (message) {
            case AutoNatMessage.Dial dial -> {
                AutoNatProtos.Message.PeerInfo.Builder peer = AutoNatProtos.Message.PeerInfo.newBuilder()
                        .setId(ByteString.copyFrom(dial.peer().bytes()));
                dial.addresses().forEach(a -> peer.addAddrs(ByteString.copyFrom(a.bytes())));
                pb.setType(AutoNatProtos.Message.MessageType.DIAL)
                        .setDial(AutoNatProtos.Message.Dial.newBuilder().setPeer(peer));
            }
            case AutoNatMessage.DialResponse response -> {
                AutoNatProtos.Message.DialResponse.Builder r = AutoNatProtos.Message.DialResponse.newBuilder()
                        .setStatus(AutoNatProtos.Message.ResponseStatus.forNumber(response.status().code()));
                if (!response.statusText().isEmpty()) {
                    r.setStatusText(response.statusText());
                }
                if (response.address() != null) {
                    r.setAddr(ByteString.copyFrom(response.address().bytes()));
                }
                pb.setType(AutoNatProtos.Message.MessageType.DIAL_RESPONSE).setDialResponse(r);
            }
        }
        byte[] body = pb.build().toByteArray();
        if (body.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("AutoNAT message of " + body.length + " bytes exceeds the "
                    + MAX_MESSAGE_BYTES + "-byte limit");
        }
        return body;
    }

    /**
     * A message from its protobuf body.
     *
     * @throws PeerFaultException if it is too long or malformed; a dial request with more than
     *     {@link #MAX_ADDRESSES} addresses keeps the first ones
     */
    public static AutoNatMessage decode(byte[] body) throws PeerFaultException {
        if (body.length > MAX_MESSAGE_BYTES) {
            throw new PeerFaultException("AutoNAT message of " + body.length + " bytes exceeds the "
                    + MAX_MESSAGE_BYTES + "-byte limit");
        }
        AutoNatProtos.Message pb;
        try {
            pb = AutoNatProtos.Message.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new PeerFaultException("malformed AutoNAT message: " + e.getMessage(), e);
        }
        if (!pb.hasType()) {
            // proto2 maps an unknown enum number to "absent" as well.
            throw new PeerFaultException("AutoNAT message without a known type");
        }
        return switch (pb.getType()) {
            case DIAL -> {
                if (!pb.hasDial() || !pb.getDial().hasPeer() || !pb.getDial().getPeer().hasId()) {
                    throw new PeerFaultException("AutoNAT DIAL without the peer's id");
                }
                AutoNatProtos.Message.PeerInfo peer = pb.getDial().getPeer();
                List<Multiaddr> addresses = new ArrayList<>();
                for (ByteString raw : peer.getAddrsList()) {
                    if (addresses.size() == MAX_ADDRESSES) {
                        break;
                    }
                    addresses.add(Multiaddr.fromBytes(raw.toByteArray()));
                }
                yield new AutoNatMessage.Dial(PeerId.fromBytes(peer.getId().toByteArray()), addresses);
            }
            case DIAL_RESPONSE -> {
                if (!pb.hasDialResponse() || !pb.getDialResponse().hasStatus()) {
                    throw new PeerFaultException("AutoNAT DIAL_RESPONSE without a known status");
                }
                AutoNatProtos.Message.DialResponse r = pb.getDialResponse();
                AutoNatStatus status = AutoNatStatus.fromCode(r.getStatus().getNumber());
                String text = r.getStatusText();
                if (text.length() > MAX_STATUS_TEXT) {
                    text = text.substring(0, MAX_STATUS_TEXT);
                }
                yield new AutoNatMessage.DialResponse(status, text,
                        r.hasAddr() ? Multiaddr.fromBytes(r.getAddr().toByteArray()) : null);
            }
        };
    }
}
