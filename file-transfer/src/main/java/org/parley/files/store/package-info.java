/**
 * Where a download keeps its pieces (decrypted, laid out as the file) and its bitfield: the
 * interfaces the node implements, and file-backed ones.
 */
package org.parley.files.store;
