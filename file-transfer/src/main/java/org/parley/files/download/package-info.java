/**
 * The download engine: {@link org.parley.files.download.Download} fetches a file from many peers at
 * once, {@code Swarm} decides which piece to ask of whom (random first, rarest first, endgame), and
 * the assembler decrypts the verified pieces into place.
 */
package org.parley.files.download;
