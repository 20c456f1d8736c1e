/**
 * The download engine: {@link org.parley.files.download.Download} fetches a file from many peers at
 * once, {@code Swarm} decides which piece to ask of whom (random first, rarest first, endgame),
 * each {@code PeerWorker} keeps requests in flight on one stream while its {@code AnswerReader}
 * reads the answers and the peer's haves, verified pieces are decrypted into the partial file as
 * they come, and the assembler checks the root and renames the file into place.
 */
package org.parley.files.download;
