package org.parley.node.versions;

import java.util.Optional;

/**
 * What the node knows of a contact's client: the agent version its device announced (empty until
 * one has identified), and the warning to show when the unsafe-version list flags it. Immutable.
 */
public record VersionStatus(Optional<String> clientVersion, Optional<String> warning) {

    public static final VersionStatus UNKNOWN = new VersionStatus(Optional.empty(), Optional.empty());
}
