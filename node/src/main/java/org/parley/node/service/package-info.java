/**
 * What every feature's service shares: {@link org.parley.node.service.ServiceException}, the typed
 * refusal that callers turn into an answer for the user, and
 * {@link org.parley.node.service.UserInput}, which reads the PeerIds and multiaddrs users type.
 */
package org.parley.node.service;
