package org.parley.libp2p.protocol.relay.wire;

/**
 * One message of {@code /libp2p/circuit/relay/0.2.0/hop}: a client's RESERVE or CONNECT, or the
 * relay's STATUS answer. Fields a type does not use are null.
 */
public record HopMessage(Type type, RelayPeer peer, RelayReservation reservation, RelayLimit limit,
        RelayStatus status) {

    /** The message types, in wire order (RESERVE = 0). */
    public enum Type { RESERVE, CONNECT, STATUS }

    public HopMessage {
        java.util.Objects.requireNonNull(type, "type");
    }

    public static HopMessage reserve() {
        return new HopMessage(Type.RESERVE, null, null, null, null);
    }

    public static HopMessage connect(RelayPeer target) {
        return new HopMessage(Type.CONNECT, target, null, null, null);
    }

    public static HopMessage status(RelayStatus status) {
        return new HopMessage(Type.STATUS, null, null, null, status);
    }
}
