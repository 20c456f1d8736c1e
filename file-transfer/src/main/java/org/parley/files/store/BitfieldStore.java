package org.parley.files.store;

import java.io.IOException;
import java.util.BitSet;

/**
 * Keeps which pieces of a download are verified and stored, so a restart fetches none of them again.
 * The node implements it over its database; {@link FileBitfieldStore} keeps it in a file.
 */
public interface BitfieldStore {

    /** The saved bitfield, empty if none was saved. */
    BitSet load() throws IOException;

    /** Replaces the saved bitfield; after a crash {@link #load()} returns this one or the one before. */
    void save(BitSet verified) throws IOException;

    /** Forgets the download. */
    void delete() throws IOException;
}
