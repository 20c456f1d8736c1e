package org.parley.libp2p.protocol.identify;

import java.util.Arrays;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.record.InvalidEnvelopeException;
import org.parley.libp2p.record.PeerRecord;

/**
 * A {@link PeerRecord} together with the signed envelope it travels in, for identify's
 * {@code signedPeerRecord}: our own is signed once and sent on every connection; a received one
 * can be kept or passed on byte for byte. Immutable and thread safe.
 */
public final class SignedPeerRecord {

    private final PeerRecord record;
    private final byte[] envelope;

    private SignedPeerRecord(PeerRecord record, byte[] envelope) {
        this.record = record;
        this.envelope = envelope;
    }

    /**
     * Signs {@code record} with {@code key}.
     *
     * @throws IllegalArgumentException if {@code key} is not the key of the record's peer
     */
    public static SignedPeerRecord sign(PeerRecord record, PrivateKey key) {
        return new SignedPeerRecord(record, record.toSignedEnvelope(key));
    }

    /**
     * Opens a received envelope.
     *
     * @throws InvalidEnvelopeException if it does not verify, holds no peer record, or is signed by
     *     a key other than that of the record's peer
     */
    public static SignedPeerRecord fromEnvelope(byte[] envelope) throws InvalidEnvelopeException {
        byte[] copy = envelope.clone();
        return new SignedPeerRecord(PeerRecord.fromSignedEnvelope(copy), copy);
    }

    public PeerRecord record() {
        return record;
    }

    /** The peer that signed the record and whose addresses it lists. */
    public PeerId peerId() {
        return record.peerId();
    }

    /** The serialized envelope, as signed. */
    public byte[] envelope() {
        return envelope.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedPeerRecord other && Arrays.equals(envelope, other.envelope);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(envelope);
    }

    @Override
    public String toString() {
        return "SignedPeerRecord[" + record + "]";
    }
}
