package org.parley.libp2p.protocol.relay.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.relay.pb.CircuitProtos;

/**
 * Bytes to and from {@link HopMessage} and {@link StopMessage}, with every limit checked. The only
 * place that touches the generated protobuf classes of circuit relay v2.
 *
 * <pre>
 *   stream = uvarint(len) ‖ HopMessage|StopMessage (protobuf, len ≤ 4096) ... then raw circuit bytes
 *
 *   HopMessage  = type:1 (RESERVE=0 CONNECT=1 STATUS=2) peer:2 reservation:3 limit:4 status:5
 *   StopMessage = type:1 (CONNECT=0 STATUS=1)           peer:2 limit:3       status:4
 *   Peer        = id:1 bytes, addrs:2 repeated bytes (binary multiaddrs)
 *   Reservation = expire:1 uint64 (Unix s), addrs:2 repeated bytes, voucher:3 bytes (envelope)
 *   Limit       = duration:1 uint32 (s), data:2 uint64 (bytes per direction); 0 = none
 * </pre>
 *
 * <p>Surprises of the wire: the schema is proto3 with explicit {@code optional}, so type 0
 * (RESERVE, CONNECT) is present on the wire ({@code 02 08 00}) and an absent type is a malformed
 * message, not a RESERVE; a status of 0 (UNUSED) or an unknown number is malformed too.
 * Stateless and thread safe.
 */
public final class RelayCodec {

    /**
     * The largest hop or stop message read: go-libp2p's {@code maxMessageSize}. A reservation with
     * a dozen addresses and a voucher is under 1 KiB.
     */
    public static final int MAX_MESSAGE_BYTES = 4096;

    private RelayCodec() {}

    /**
     * Reads one hop message.
     *
     * @throws PeerFaultException if it is too long or malformed
     * @throws EOFException if the stream ends before or inside it
     */
    public static HopMessage readHop(InputStream in) throws IOException {
        return decodeHop(readFrame(in, "hop"));
    }

    /**
     * Reads one stop message.
     *
     * @throws PeerFaultException if it is too long or malformed
     * @throws EOFException if the stream ends before or inside it
     */
    public static StopMessage readStop(InputStream in) throws IOException {
        return decodeStop(readFrame(in, "stop"));
    }

    /** Writes one hop message, length-prefixed, and flushes. */
    public static void write(OutputStream out, HopMessage message) throws IOException {
        LengthPrefixed.write(out, encode(message));
        out.flush();
    }

    /** Writes one stop message, length-prefixed, and flushes. */
    public static void write(OutputStream out, StopMessage message) throws IOException {
        LengthPrefixed.write(out, encode(message));
        out.flush();
    }

    private static byte[] readFrame(InputStream in, String what) throws IOException {
        byte[] frame = LengthPrefixed.read(in, MAX_MESSAGE_BYTES);
        if (frame == null) {
            throw new EOFException("stream ended before the " + what + " message");
        }
        return frame;
    }

    /** The protobuf body of a hop message (no length prefix). */
    public static byte[] encode(HopMessage message) {
        CircuitProtos.HopMessage.Builder pb = CircuitProtos.HopMessage.newBuilder()
                .setTypeValue(message.type().ordinal());
        if (message.peer() != null) {
            pb.setPeer(toWire(message.peer()));
        }
        if (message.reservation() != null) {
            RelayReservation r = message.reservation();
            CircuitProtos.Reservation.Builder reservation = CircuitProtos.Reservation.newBuilder()
                    .setExpire(r.expireEpochSeconds());
            r.addresses().forEach(a -> reservation.addAddrs(ByteString.copyFrom(a.bytes())));
            if (r.voucher() != null) {
                reservation.setVoucher(ByteString.copyFrom(r.voucher()));
            }
            pb.setReservation(reservation);
        }
        if (message.limit() != null) {
            pb.setLimit(toWire(message.limit()));
        }
        if (message.status() != null) {
            pb.setStatusValue(message.status().code());
        }
        return checkedSize(pb.build().toByteArray(), "hop");
    }

    /** The protobuf body of a stop message (no length prefix). */
    public static byte[] encode(StopMessage message) {
        CircuitProtos.StopMessage.Builder pb = CircuitProtos.StopMessage.newBuilder()
                .setTypeValue(message.type().ordinal());
        if (message.peer() != null) {
            pb.setPeer(toWire(message.peer()));
        }
        if (message.limit() != null) {
            pb.setLimit(toWire(message.limit()));
        }
        if (message.status() != null) {
            pb.setStatusValue(message.status().code());
        }
        return checkedSize(pb.build().toByteArray(), "stop");
    }

    /**
     * A hop message from its protobuf body.
     *
     * @throws PeerFaultException if the body is longer than {@link #MAX_MESSAGE_BYTES} or malformed
     */
    public static HopMessage decodeHop(byte[] body) throws PeerFaultException {
        checkLength(body, "hop");
        CircuitProtos.HopMessage pb;
        try {
            pb = CircuitProtos.HopMessage.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new PeerFaultException("malformed hop message: " + e.getMessage(), e);
        }
        if (!pb.hasType()) {
            throw new PeerFaultException("hop message without a type");
        }
        int type = pb.getTypeValue();
        if (type < 0 || type >= HopMessage.Type.values().length) {
            throw new PeerFaultException("hop message of unknown type " + type + "; expected 0 to 2");
        }
        return new HopMessage(HopMessage.Type.values()[type],
                pb.hasPeer() ? fromWire(pb.getPeer()) : null,
                pb.hasReservation() ? fromWire(pb.getReservation()) : null,
                pb.hasLimit() ? fromWire(pb.getLimit()) : null,
                pb.hasStatus() ? status(pb.getStatusValue(), "hop") : null);
    }

    /**
     * A stop message from its protobuf body.
     *
     * @throws PeerFaultException if the body is longer than {@link #MAX_MESSAGE_BYTES} or malformed
     */
    public static StopMessage decodeStop(byte[] body) throws PeerFaultException {
        checkLength(body, "stop");
        CircuitProtos.StopMessage pb;
        try {
            pb = CircuitProtos.StopMessage.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new PeerFaultException("malformed stop message: " + e.getMessage(), e);
        }
        if (!pb.hasType()) {
            throw new PeerFaultException("stop message without a type");
        }
        int type = pb.getTypeValue();
        if (type < 0 || type >= StopMessage.Type.values().length) {
            throw new PeerFaultException("stop message of unknown type " + type + "; expected 0 or 1");
        }
        return new StopMessage(StopMessage.Type.values()[type],
                pb.hasPeer() ? fromWire(pb.getPeer()) : null,
                pb.hasLimit() ? fromWire(pb.getLimit()) : null,
                pb.hasStatus() ? status(pb.getStatusValue(), "stop") : null);
    }

    private static void checkLength(byte[] body, String what) throws PeerFaultException {
        if (body.length > MAX_MESSAGE_BYTES) {
            throw new PeerFaultException(what + " message of " + body.length + " bytes exceeds the "
                    + MAX_MESSAGE_BYTES + "-byte limit");
        }
    }

    private static byte[] checkedSize(byte[] body, String what) {
        if (body.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException(what + " message of " + body.length + " bytes exceeds the "
                    + MAX_MESSAGE_BYTES + "-byte limit");
        }
        return body;
    }

    private static RelayStatus status(int code, String what) throws PeerFaultException {
        RelayStatus status = RelayStatus.fromCode(code);
        if (status == null) {
            throw new PeerFaultException(what + " message with unknown status " + code);
        }
        return status;
    }

    private static CircuitProtos.Peer toWire(RelayPeer peer) {
        CircuitProtos.Peer.Builder pb = CircuitProtos.Peer.newBuilder().setId(ByteString.copyFrom(peer.id().bytes()));
        peer.addresses().forEach(a -> pb.addAddrs(ByteString.copyFrom(a.bytes())));
        return pb.build();
    }

    private static RelayPeer fromWire(CircuitProtos.Peer pb) throws PeerFaultException {
        if (!pb.hasId()) {
            throw new PeerFaultException("relay peer without an id");
        }
        return new RelayPeer(PeerId.fromBytes(pb.getId().toByteArray()), addresses(pb.getAddrsList()));
    }

    private static RelayReservation fromWire(CircuitProtos.Reservation pb) throws PeerFaultException {
        if (!pb.hasExpire()) {
            throw new PeerFaultException("relay reservation without an expiry");
        }
        if (pb.getExpire() < 0) {
            throw new PeerFaultException("relay reservation expires beyond year 292277026596: "
                    + Long.toUnsignedString(pb.getExpire()));
        }
        return new RelayReservation(pb.getExpire(), addresses(pb.getAddrsList()),
                pb.hasVoucher() ? pb.getVoucher().toByteArray() : null);
    }

    private static CircuitProtos.Limit toWire(RelayLimit limit) {
        CircuitProtos.Limit.Builder pb = CircuitProtos.Limit.newBuilder();
        if (!limit.duration().isZero()) {
            pb.setDuration((int) Math.min(limit.duration().toSeconds(), 0xFFFF_FFFFL));
        }
        if (limit.dataBytes() > 0) {
            pb.setData(limit.dataBytes());
        }
        return pb.build();
    }

    private static RelayLimit fromWire(CircuitProtos.Limit pb) {
        long seconds = Integer.toUnsignedLong(pb.getDuration());
        // uint64 beyond Long.MAX_VALUE is more than any circuit carries: as good as no limit.
        long data = pb.getData() < 0 ? 0 : pb.getData();
        return new RelayLimit(Duration.ofSeconds(seconds), data);
    }

    private static List<Multiaddr> addresses(List<ByteString> raw) throws PeerFaultException {
        List<Multiaddr> out = new ArrayList<>(raw.size());
        for (ByteString bytes : raw) {
            out.add(Multiaddr.fromBytes(bytes.toByteArray()));
        }
        return out;
    }
}
