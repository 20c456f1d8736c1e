/**
 * The manifest of a shared file (sealed name, size, chunk size, Merkle root, creation time), its
 * codec, the file id (the manifest's multihash and DHT provider key) and the chunk-size rules.
 */
package org.parley.files.manifest;
