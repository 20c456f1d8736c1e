package org.parley.chat.session;

import java.util.Objects;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatFrame;
import org.signal.libsignal.protocol.SignalProtocolAddress;

/** One device of one user, a session's far end: libsignal's address is (user ID text, device number). Immutable. */
public record ChatAddress(UserId user, int device) {

    public ChatAddress {
        Objects.requireNonNull(user, "user");
        if (device < 1 || device > ChatFrame.MAX_DEVICE_ID) {
            throw new IllegalArgumentException("device number " + device + " is outside 1.." + ChatFrame.MAX_DEVICE_ID);
        }
    }

    public SignalProtocolAddress toSignal() {
        return new SignalProtocolAddress(user.text(), device);
    }

    @Override
    public String toString() {
        return user.text() + "/" + device;
    }
}
