package org.parley.node.devices;

import java.util.List;

/**
 * What the existing device gives the new one once the code is proven: the identity key pair
 * (libsignal's serialization), the new device's number, the identity's display name, the
 * history key and its generation, the signed device list that names the new device, and the contacts. Travels
 * only inside the link protocol's Noise-encrypted stream; never logged. Immutable.
 */
public record LinkGrant(byte[] identityKeyPair, int deviceNumber, String displayName, byte[] historyKey,
        int historyKeyGeneration, byte[] deviceList, List<LinkedContact> contacts) {

    /** A person's address book: 10,000 contacts is generous and keeps a grant near a megabyte. */
    public static final int MAX_CONTACTS = 10_000;

    public LinkGrant {
        contacts = contacts == null ? List.of() : List.copyOf(contacts);
    }

    /** One contact as the new device stores it; {@code state} is the contact state's wire name. */
    public record LinkedContact(String userId, String name, String displayName, String state, boolean verified,
            List<String> hints, String peerId, Integer device) {

        public LinkedContact {
            hints = hints == null ? List.of() : List.copyOf(hints);
        }
    }

    /** Names the device number only: keys never reach a log line. */
    @Override
    public String toString() {
        return "LinkGrant[device=" + deviceNumber + ", contacts=" + contacts.size() + "]";
    }
}
