package org.parley.node.devices;

import java.util.List;

/**
 * What the existing device gives the new one once the code is proven: the identity key pair
 * (libsignal's serialization), the new device's number, the identity's display name, the
 * history key and its generation, the signed device list that names the new device, the contacts
 * and the groups (each group's signed operation chain, which the new device replays as a member
 * would). Travels only inside the link protocol's Noise-encrypted stream; never logged. Immutable.
 */
public record LinkGrant(byte[] identityKeyPair, int deviceNumber, String displayName, byte[] historyKey,
        int historyKeyGeneration, byte[] deviceList, List<LinkedContact> contacts, List<LinkedGroup> groups) {

    /** A person's address book: 10,000 contacts is generous and keeps a grant near a megabyte. */
    public static final int MAX_CONTACTS = 10_000;

    /** Groups one identity is in: a thousand is far beyond what a person follows. */
    public static final int MAX_GROUPS = 1_000;

    /**
     * Operation bytes all groups of one grant may carry together (base64 in the JSON makes them a
     * third larger): leaves room under {@link LinkCodec#MAX_GRANT_BYTES} for the contacts. A
     * group that does not fit is left out, and reaches the new device when a member next sends it
     * operations.
     */
    public static final int MAX_GROUP_OP_BYTES_TOTAL = 8 << 20;

    public LinkGrant {
        contacts = contacts == null ? List.of() : List.copyOf(contacts);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** A grant from a device that carries no groups (older versions). */
    public LinkGrant(byte[] identityKeyPair, int deviceNumber, String displayName, byte[] historyKey,
            int historyKeyGeneration, byte[] deviceList, List<LinkedContact> contacts) {
        this(identityKeyPair, deviceNumber, displayName, historyKey, historyKeyGeneration, deviceList, contacts,
                List.of());
    }

    /**
     * One group: its id (32 hex digits), what the user made of the invitation (invited, joined or
     * declined) and its signed operations, oldest first.
     */
    public record LinkedGroup(String id, String membership, List<byte[]> ops) {

        public LinkedGroup {
            ops = ops == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(ops));
        }
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
        return "LinkGrant[device=" + deviceNumber + ", contacts=" + contacts.size() + ", groups=" + groups.size() + "]";
    }
}
