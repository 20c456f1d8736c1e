/**
 * Implementation helpers shared by several protocol packages of this module; not an API for
 * other modules.
 */
package org.parley.libp2p.internal;
