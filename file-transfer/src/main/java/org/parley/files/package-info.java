/**
 * File sharing over {@code /parley/files/1.0.0}: a file is cut into power-of-two chunks (256 KiB,
 * doubled until there are at most 4,096), each sealed with a random per-file key and a nonce from
 * its index; a manifest carries the sealed name, the size, the chunk size and the Merkle root of
 * the ciphertext chunks, and its multihash is the file id and the DHT provider key; a magnet-style
 * link carries the id, name, size, peer hints and key.
 *
 * <p>Packages: {@code crypto} (key, chunk cipher), {@code merkle} (tree and proofs),
 * {@code manifest} (manifest, codec, file id, chunk sizes), {@code link} (the link),
 * {@code protocol.wire} (messages and codec), {@code protocol} (responder, initiator, piece
 * sources, limits), {@code share} (a file on disk becomes a source served from where it lies),
 * {@code store} (where a download keeps pieces and its bitfield; the node implements the
 * interfaces) and {@code download} (the swarm download engine).
 *
 * <p>No JDBC, HTTP or JSON here: the node wires shares, downloads, the DHT and the API.
 */
package org.parley.files;
