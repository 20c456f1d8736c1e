package org.parley.libp2p.protocol.relay.wire;

/**
 * One message of {@code /libp2p/circuit/relay/0.2.0/stop}: the relay's CONNECT to the target, or
 * the target's STATUS answer. Fields a type does not use are null.
 */
public record StopMessage(Type type, RelayPeer peer, RelayLimit limit, RelayStatus status) {

    /** The message types, in wire order (CONNECT = 0). */
    public enum Type { CONNECT, STATUS }

    public StopMessage {
        java.util.Objects.requireNonNull(type, "type");
    }

    public static StopMessage connect(RelayPeer initiator, RelayLimit limit) {
        return new StopMessage(Type.CONNECT, initiator, limit, null);
    }

    public static StopMessage status(RelayStatus status) {
        return new StopMessage(Type.STATUS, null, null, status);
    }
}
