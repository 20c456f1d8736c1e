/**
 * Contacts of each local identity with their consent state ({@link org.parley.node.contacts.ContactState}:
 * requested, pending, accepted, declined, blocked), a pending request's sealed intro, the
 * verification mark and key warning, the invite's address hints and the device last reached,
 * kept by {@link org.parley.node.contacts.ContactStore}.
 */
package org.parley.node.contacts;
