package org.parley.node.chat;

import org.parley.chat.session.PrekeyService;
import org.parley.chat.session.SessionManager;
import org.parley.node.identity.LocalIdentity;

/** One local identity's chat machinery on this device: its sessions and its prekeys, on the node database. Immutable. */
record IdentityChat(LocalIdentity identity, SessionManager sessions, PrekeyService prekeys) {}
