/** The SHA-256 hash tree over ciphertext chunks and its proofs: how one piece is checked against the manifest's root. */
package org.parley.files.merkle;
