/**
 * File sharing, to come: a file is split into chunks encrypted with a random per-file key
 * (XChaCha20-Poly1305), described by a manifest whose multihash is the file ID and the DHT
 * provider key, shared as a magnet-style link, and fetched from several peers at once with
 * every piece verified against the manifest's Merkle root before it is written.
 *
 * <p>Nothing lives here yet; see DESIGN.md, "Files".
 */
package org.parley.files;
