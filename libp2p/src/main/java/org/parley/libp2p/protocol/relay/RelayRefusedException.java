package org.parley.libp2p.protocol.relay;

import java.net.ConnectException;
import org.parley.libp2p.protocol.relay.wire.RelayStatus;

/**
 * A relay answered a reservation or a circuit with a status other than OK: it is full, the target
 * holds no reservation there, or the target refused. Nobody misbehaved; try another relay.
 */
public final class RelayRefusedException extends ConnectException {

    private final transient RelayStatus status;

    public RelayRefusedException(String message, RelayStatus status) {
        super(message);
        this.status = status;
    }

    /** What the relay answered. */
    public RelayStatus status() {
        return status;
    }
}
