package org.parley.libp2p.protocol.identify;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.core.InternalFaultException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.InvalidKeyException;
import org.parley.libp2p.crypto.Keys;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.multiformats.Varint;
import org.parley.libp2p.protocol.identify.pb.IdentifyProtos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identify messages on the wire; the only place that touches the generated identify classes.
 *
 * <p>One logical message travels as one or more parts, each a length-prefixed protobuf; the
 * reader merges parts until end of stream (repeated fields append, scalars of a later part win):
 *
 * <pre>
 *   uvarint(n1) ‖ Identify pb (n1 bytes) ‖ uvarint(n2) ‖ Identify pb (n2 bytes) ‖ ... ‖ EOF
 * </pre>
 *
 * Stateless and thread safe.
 */
final class IdentifyCodec {

    /**
     * go-libp2p reads identify parts of up to 8 KiB (it sends a signed peer record in a part of
     * its own), so a part of that size may be legitimate; larger ones are refused unread.
     */
    static final int MAX_PART_BYTES = 8 * 1024;

    /** go-libp2p merges at most 10 parts and fails beyond that; we accept what it accepts. */
    static final int MAX_PARTS = 10;

    /**
     * The bytes one identify may make us hold. Real ones are a few KiB (go trims its own to 4 KiB
     * per part); 64 KiB, below {@link #MAX_PARTS} full parts, bounds a peer that sends ten.
     */
    static final int MAX_TOTAL_BYTES = 64 * 1024;

    /**
     * The largest part we write: rust-libp2p rejects parts over 4096 bytes and reads only the
     * first part, so a message that fits is sent whole.
     */
    static final int MAX_WRITTEN_PART_BYTES = 4096;

    /**
     * Listen addresses kept from one message. Real peers announce a handful; the peerstore keeps
     * 32 per peer, so more than this is noise or an attempt to fill memory.
     */
    static final int MAX_LISTEN_ADDRS = 128;

    /** Protocols kept from one message; real peers announce a few dozen (the peerstore keeps 128). */
    static final int MAX_PROTOCOLS = 128;

    /**
     * multistream-select messages are at most 1024 bytes (go-multistream, js), so a longer
     * protocol id could never be negotiated and is dropped.
     */
    static final int MAX_PROTOCOL_ID_BYTES = 1024;

    private static final Logger log = LoggerFactory.getLogger(IdentifyCodec.class);

    private IdentifyCodec() {}

    /**
     * Reads parts until end of stream and merges them into one message.
     *
     * @throws PeerFaultException if a part or the whole is over its limit, there are more than
     *     {@link #MAX_PARTS} parts, a part is cut short or malformed, or the public key is invalid
     */
    static IdentifyInfo read(InputStream in) throws IOException {
        IdentifyProtos.Identify.Builder merged = IdentifyProtos.Identify.newBuilder();
        int parts = 0;
        long total = 0;
        while (true) {
            long length;
            try {
                length = Varint.read(in);
            } catch (EOFException e) {
                throw new PeerFaultException("identify stream ended inside the length of part " + (parts + 1), e);
            }
            if (length < 0) {
                break;
            }
            parts++;
            if (parts > MAX_PARTS) {
                throw new PeerFaultException("identify message has more than " + MAX_PARTS + " parts");
            }
            if (length > MAX_PART_BYTES) {
                throw new PeerFaultException("identify message part of " + length + " bytes exceeds the "
                        + MAX_PART_BYTES + "-byte limit");
            }
            total += length;
            if (total > MAX_TOTAL_BYTES) {
                throw new PeerFaultException("identify message parts of " + total + " bytes in total exceed the "
                        + MAX_TOTAL_BYTES + "-byte limit");
            }
            byte[] part = in.readNBytes((int) length);
            if (part.length < length) {
                throw new PeerFaultException("identify stream ended after " + part.length + " of the "
                        + length + " bytes of part " + parts);
            }
            try {
                merged.mergeFrom(part);
            } catch (InvalidProtocolBufferException e) {
                throw new PeerFaultException("identify message part " + parts + " is malformed: " + e.getMessage(), e);
            }
        }
        return fromWire(merged.build());
    }

    /** Writes {@code info} as the parts of {@link #encode}; the caller flushes. */
    static void write(OutputStream out, IdentifyInfo info) throws IOException {
        for (byte[] part : encode(info)) {
            LengthPrefixed.write(out, part);
        }
    }

    /**
     * Splits {@code info} into parts of at most {@link #MAX_WRITTEN_PART_BYTES}: the whole message
     * if it fits; otherwise the scalars with as many protocols, then listen addresses, as fit, further
     * parts for the rest, and the signed peer record in a part of its own, last (as go does).
     *
     * @throws InternalFaultException if a single field or the number of parts is over what peers accept
     */
    static List<byte[]> encode(IdentifyInfo info) throws InternalFaultException {
        IdentifyProtos.Identify whole = toWire(info);
        if (whole.getSerializedSize() <= MAX_WRITTEN_PART_BYTES) {
            return List.of(whole.toByteArray());
        }
        IdentifyProtos.Identify.Builder scalars = whole.toBuilder()
                .clearProtocols()
                .clearListenAddrs()
                .clearSignedPeerRecord();
        PartPacker packer = new PartPacker(scalars);
        for (ByteString protocol : whole.getProtocolsList().asByteStringList()) {
            packer.add(IdentifyProtos.Identify.PROTOCOLS_FIELD_NUMBER, protocol,
                    (part, value) -> part.addProtocolsBytes(value));
        }
        for (ByteString address : whole.getListenAddrsList()) {
            packer.add(IdentifyProtos.Identify.LISTENADDRS_FIELD_NUMBER, address,
                    (part, value) -> part.addListenAddrs(value));
        }
        List<IdentifyProtos.Identify> parts = packer.finish();
        if (whole.hasSignedPeerRecord()) {
            IdentifyProtos.Identify record = IdentifyProtos.Identify.newBuilder()
                    .setSignedPeerRecord(whole.getSignedPeerRecord())
                    .build();
            requireFits(record.getSerializedSize(), "signed peer record");
            parts.add(record);
        }
        if (parts.size() > MAX_PARTS) {
            throw new InternalFaultException("our identify message needs " + parts.size()
                    + " parts; peers accept at most " + MAX_PARTS);
        }
        return parts.stream().map(IdentifyProtos.Identify::toByteArray).toList();
    }

    static IdentifyProtos.Identify toWire(IdentifyInfo info) {
        IdentifyProtos.Identify.Builder pb = IdentifyProtos.Identify.newBuilder();
        if (info.publicKey() != null) {
            pb.setPublicKey(ByteString.copyFrom(info.publicKey().marshal()));
        }
        for (Multiaddr address : info.listenAddrs()) {
            pb.addListenAddrs(ByteString.copyFrom(address.bytes()));
        }
        pb.addAllProtocols(info.protocols());
        if (info.observedAddr() != null) {
            pb.setObservedAddr(ByteString.copyFrom(info.observedAddr().bytes()));
        }
        if (info.protocolVersion() != null) {
            pb.setProtocolVersion(info.protocolVersion());
        }
        if (info.agentVersion() != null) {
            pb.setAgentVersion(info.agentVersion());
        }
        if (info.signedPeerRecord() != null) {
            pb.setSignedPeerRecord(ByteString.copyFrom(info.signedPeerRecord().envelope()));
        }
        return pb.build();
    }

    /**
     * Converts a received message. Unusable listen addresses, protocols, observed address and
     * signed peer record are dropped with a debug line, as other implementations do, so one odd
     * entry does not cost the whole identify; an invalid public key fails it.
     *
     * @throws PeerFaultException if the public key is present but invalid
     */
    static IdentifyInfo fromWire(IdentifyProtos.Identify pb) throws PeerFaultException {
        PublicKey publicKey = null;
        if (pb.hasPublicKey()) {
            try {
                publicKey = Keys.unmarshalPublic(pb.getPublicKey().toByteArray());
            } catch (InvalidKeyException e) {
                throw new PeerFaultException("identify public key is invalid: " + e.getMessage(), e);
            }
        }
        return new IdentifyInfo(
                publicKey,
                listenAddrs(pb),
                protocols(pb),
                pb.hasObservedAddr() ? observedAddr(pb.getObservedAddr()) : null,
                pb.hasProtocolVersion() ? pb.getProtocolVersion() : null,
                pb.hasAgentVersion() ? pb.getAgentVersion() : null,
                pb.hasSignedPeerRecord() ? signedPeerRecord(pb.getSignedPeerRecord()) : null);
    }

    private static List<Multiaddr> listenAddrs(IdentifyProtos.Identify pb) {
        int count = pb.getListenAddrsCount();
        if (count > MAX_LISTEN_ADDRS) {
            log.debug("identify announces {} listen addresses; keeping the first {}", count, MAX_LISTEN_ADDRS);
        }
        List<Multiaddr> out = new ArrayList<>(Math.min(count, MAX_LISTEN_ADDRS));
        for (int i = 0; i < Math.min(count, MAX_LISTEN_ADDRS); i++) {
            try {
                out.add(Multiaddr.fromBytes(pb.getListenAddrs(i).toByteArray()));
            } catch (PeerFaultException e) {
                log.debug("skipping identify listen address {}: {}", i, e.getMessage());
            }
        }
        return out;
    }

    private static List<String> protocols(IdentifyProtos.Identify pb) {
        int count = pb.getProtocolsCount();
        if (count > MAX_PROTOCOLS) {
            log.debug("identify announces {} protocols; keeping the first {}", count, MAX_PROTOCOLS);
        }
        List<String> out = new ArrayList<>(Math.min(count, MAX_PROTOCOLS));
        for (int i = 0; i < Math.min(count, MAX_PROTOCOLS); i++) {
            ByteString utf8 = pb.getProtocolsBytes(i);
            if (utf8.isEmpty() || utf8.size() > MAX_PROTOCOL_ID_BYTES) {
                log.debug("skipping identify protocol {} of {} bytes; expected 1 to {}", i, utf8.size(),
                        MAX_PROTOCOL_ID_BYTES);
                continue;
            }
            out.add(utf8.toStringUtf8());
        }
        return out;
    }

    private static Multiaddr observedAddr(ByteString bytes) {
        try {
            return Multiaddr.fromBytes(bytes.toByteArray());
        } catch (PeerFaultException e) {
            log.debug("ignoring identify observed address: {}", e.getMessage());
            return null;
        }
    }

    private static SignedPeerRecord signedPeerRecord(ByteString envelope) {
        try {
            return SignedPeerRecord.fromEnvelope(envelope.toByteArray());
        } catch (PeerFaultException e) {
            log.debug("ignoring identify signed peer record: {}", e.getMessage());
            return null;
        }
    }

    private static void requireFits(int size, String what) throws InternalFaultException {
        if (size > MAX_WRITTEN_PART_BYTES) {
            throw new InternalFaultException("identify " + what + " of " + size + " bytes does not fit a "
                    + MAX_WRITTEN_PART_BYTES + "-byte message part");
        }
    }

    /** Adds one repeated value to a part builder. */
    @FunctionalInterface
    private interface RepeatedField {
        void add(IdentifyProtos.Identify.Builder part, ByteString value);
    }

    /** Fills parts in order, starting a new one when the next value would overflow the current. */
    private static final class PartPacker {
        private final List<IdentifyProtos.Identify> parts = new ArrayList<>();
        private IdentifyProtos.Identify.Builder current;
        private int currentSize;

        PartPacker(IdentifyProtos.Identify.Builder first) throws InternalFaultException {
            this.current = first;
            this.currentSize = first.build().getSerializedSize();
            requireFits(currentSize, "message without protocols, addresses and signed peer record");
        }

        void add(int fieldNumber, ByteString value, RepeatedField field) throws InternalFaultException {
            int size = CodedOutputStream.computeBytesSize(fieldNumber, value);
            requireFits(size, "field " + fieldNumber + " value");
            if (currentSize + size > MAX_WRITTEN_PART_BYTES) {
                parts.add(current.build());
                current = IdentifyProtos.Identify.newBuilder();
                currentSize = 0;
            }
            field.add(current, value);
            currentSize += size;
        }

        List<IdentifyProtos.Identify> finish() {
            parts.add(current.build());
            return parts;
        }
    }
}
