/**
 * Client version warnings: the agent version each contact device announced in identify, kept per
 * device; the signed list of unsafe client versions a maintainer publishes
 * ({@link org.parley.node.versions.SignedVersionList}), loaded from the {@code unsafeVersions}
 * setting and checked against the key pinned in {@code unsafeVersionsKey}; and the warning a
 * contact on a flagged version gets in the API and the CLI. A flagged contact is only shown so;
 * the node keeps talking to it.
 */
package org.parley.node.versions;
