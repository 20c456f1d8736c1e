package org.parley.libp2p.protocol.relay.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.relay.pb.CircuitProtos;
import org.parley.libp2p.record.Envelope;
import org.parley.libp2p.record.InvalidEnvelopeException;

/**
 * The relay's signed promise that {@code peer} holds a reservation until {@code expiration}: a
 * libp2p record in a signed envelope (domain {@value #DOMAIN}, payload type {@code 03 02}).
 * Advisory: nobody checks it before a CONNECT, but a client can show it.
 *
 * @param expiration Unix seconds (UTC)
 */
public record ReservationVoucher(PeerId relay, PeerId peer, long expiration) {

    /** The envelope domain of circuit v2 reservation vouchers. */
    public static final String DOMAIN = "libp2p-relay-rsvp";

    /** The multicodec {@code libp2p-relay-rsvp} (0x0302) as the envelope's payload type. */
    private static final byte[] PAYLOAD_TYPE = {0x03, 0x02};

    /** The envelope bytes, signed by the relay's key. */
    public byte[] seal(PrivateKey relayKey) {
        if (!PeerId.fromPublicKey(relayKey.publicKey()).equals(relay)) {
            throw new IllegalArgumentException("a voucher of relay " + relay + " must be signed by its own key");
        }
        byte[] payload = CircuitProtos.ReservationVoucher.newBuilder()
                .setRelay(ByteString.copyFrom(relay.bytes()))
                .setPeer(ByteString.copyFrom(peer.bytes()))
                .setExpiration(expiration)
                .build().toByteArray();
        return Envelope.seal(relayKey, DOMAIN, PAYLOAD_TYPE, payload).bytes();
    }

    /**
     * Opens and checks a voucher: the signature, the payload type, and that the relay signed it.
     *
     * @throws PeerFaultException if any of that fails
     */
    public static ReservationVoucher open(byte[] envelopeBytes) throws PeerFaultException {
        Envelope envelope = Envelope.open(envelopeBytes, DOMAIN);
        if (!java.util.Arrays.equals(envelope.payloadType(), PAYLOAD_TYPE)) {
            throw new InvalidEnvelopeException("voucher envelope has payload type "
                    + java.util.HexFormat.of().formatHex(envelope.payloadType()) + "; expected 0302");
        }
        CircuitProtos.ReservationVoucher pb;
        try {
            pb = CircuitProtos.ReservationVoucher.parseFrom(envelope.payload());
        } catch (InvalidProtocolBufferException e) {
            throw new PeerFaultException("malformed reservation voucher: " + e.getMessage(), e);
        }
        if (!pb.hasRelay() || !pb.hasPeer() || !pb.hasExpiration()) {
            throw new PeerFaultException("reservation voucher lacks its relay, peer or expiration");
        }
        PeerId relay = PeerId.fromBytes(pb.getRelay().toByteArray());
        if (!relay.equals(PeerId.fromPublicKey(envelope.publicKey()))) {
            throw new PeerFaultException("reservation voucher of relay " + relay + " is signed by another key");
        }
        return new ReservationVoucher(relay, PeerId.fromBytes(pb.getPeer().toByteArray()), pb.getExpiration());
    }
}
