package org.parley.chat.wire;

import java.util.Objects;

/** A device's answer to a {@link PrekeyRequest}: a bundle, or "I hold no such identity". */
public sealed interface PrekeyAnswer {

    /** The bundle of the asked identity on this device. */
    record Bundle(PrekeyBundleMessage bundle) implements PrekeyAnswer {
        public Bundle {
            Objects.requireNonNull(bundle, "bundle");
        }
    }

    /** This device holds no identity with the asked key (retired, or never here). */
    record UnknownIdentity() implements PrekeyAnswer {}
}
