/**
 * Small helpers that every module of the project may use (unlike {@code org.parley.libp2p.internal},
 * which is this module's own): {@link org.parley.libp2p.util.StateFiles} sets aside a state file
 * the node cannot read instead of overwriting it.
 */
package org.parley.libp2p.util;
