package org.parley.node.versions;

import org.parley.node.contacts.Contact;

/** Gives the client version status of a contact, for the contact answers of the API. Thread safe. */
@FunctionalInterface
public interface ContactVersions {

    /** Knows no versions: every contact is {@link VersionStatus#UNKNOWN}. */
    ContactVersions NONE = contact -> VersionStatus.UNKNOWN;

    VersionStatus of(Contact contact);
}
