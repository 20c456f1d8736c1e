package org.parley.chat.protocol;

import java.util.Optional;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.PrekeyBundleMessage;

/** Where {@link PrekeyResponder} gets bundles: the node's identities on this device, each with its {@code PrekeyService}. */
@FunctionalInterface
public interface PrekeySource {

    /**
     * A fresh bundle of {@code identity} for the peer {@code requester} (a PeerId's text, for the
     * node's rate limit), or empty if this device holds no such identity or will not answer.
     */
    Optional<PrekeyBundleMessage> bundleFor(UserId identity, String requester);
}
