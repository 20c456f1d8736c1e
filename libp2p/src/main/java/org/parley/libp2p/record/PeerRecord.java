package org.parley.libp2p.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.record.pb.PeerRecordProtos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer's signed statement of its own addresses (libp2p RFC 0003), as sent in identify's
 * {@code signedPeerRecord}. Immutable and thread safe.
 *
 * @param seq increases with every record the peer issues; an unsigned 64-bit value, so compare
 *     with {@link Long#compareUnsigned}
 */
public record PeerRecord(PeerId peerId, long seq, List<Multiaddr> addresses) {

    /** The envelope domain of peer records, as go and current rust use. */
    public static final String DOMAIN = "libp2p-peer-record";
    /** The multicodec 0x0301 written big-endian, not as a uvarint, as go and rust do. */
    private static final byte[] PAYLOAD_TYPE = {0x03, 0x01};

    private static final Logger LOG = LoggerFactory.getLogger(PeerRecord.class);

    public PeerRecord {
        Objects.requireNonNull(peerId, "peerId");
        addresses = List.copyOf(addresses);
    }

    /**
     * Encodes this record and seals it in an envelope signed by {@code key}.
     *
     * @throws IllegalArgumentException if {@code key} is not the key of {@link #peerId()}, or the
     *     envelope would exceed {@link Envelope#MAX_BYTES}
     */
    public byte[] toSignedEnvelope(PrivateKey key) {
        PeerId signer = PeerId.fromPublicKey(key.publicKey());
        if (!signer.equals(peerId)) {
            throw new IllegalArgumentException(
                    "cannot sign the peer record of " + peerId + " with the key of " + signer);
        }
        PeerRecordProtos.PeerRecord.Builder pb = PeerRecordProtos.PeerRecord.newBuilder()
                .setPeerId(ByteString.copyFrom(peerId.bytes()))
                .setSeq(seq);
        for (Multiaddr address : addresses) {
            pb.addAddresses(PeerRecordProtos.PeerRecord.AddressInfo.newBuilder()
                    .setMultiaddr(ByteString.copyFrom(address.bytes())));
        }
        return Envelope.seal(key, DOMAIN, PAYLOAD_TYPE, pb.build().toByteArray()).bytes();
    }

    /**
     * Opens a signed peer record. Addresses that cannot be decoded (a protocol this node does not
     * know) are left out rather than failing the record: the signature covers the bytes as received.
     *
     * @throws InvalidEnvelopeException if the envelope does not verify, does not hold a peer record,
     *     or is signed by a key other than that of the record's peer
     */
    public static PeerRecord fromSignedEnvelope(byte[] envelopeBytes) throws InvalidEnvelopeException {
        Envelope envelope = Envelope.open(envelopeBytes, DOMAIN);
        if (!Arrays.equals(envelope.payloadType(), PAYLOAD_TYPE)) {
            throw new InvalidEnvelopeException("envelope payload type " + HexFormat.of().formatHex(envelope.payloadType())
                    + " is not a peer record (expected 0301)");
        }
        PeerRecordProtos.PeerRecord pb;
        try {
            pb = PeerRecordProtos.PeerRecord.parseFrom(envelope.payload());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidEnvelopeException("malformed peer record protobuf: " + e.getMessage(), e);
        }
        PeerId peerId;
        try {
            peerId = PeerId.fromBytes(pb.getPeerId().toByteArray());
        } catch (PeerFaultException e) {
            throw new InvalidEnvelopeException("peer record has an invalid peer_id: " + e.getMessage(), e);
        }
        PeerId signer = PeerId.fromPublicKey(envelope.publicKey());
        if (!signer.equals(peerId)) {
            throw new InvalidEnvelopeException("peer record of " + peerId + " is signed by the key of " + signer);
        }
        List<Multiaddr> addresses = new ArrayList<>(pb.getAddressesCount());
        for (PeerRecordProtos.PeerRecord.AddressInfo info : pb.getAddressesList()) {
            try {
                addresses.add(Multiaddr.fromBytes(info.getMultiaddr().toByteArray()));
            } catch (PeerFaultException e) {
                LOG.debug("skipping an address in the peer record of {}: {}", peerId, e.getMessage());
            }
        }
        return new PeerRecord(peerId, pb.getSeq(), addresses);
    }
}
