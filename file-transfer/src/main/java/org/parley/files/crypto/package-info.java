/** The per-file key and the chunk cipher: what turns a file into the ciphertext chunks peers exchange. */
package org.parley.files.crypto;
