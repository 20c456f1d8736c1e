/** The messages of {@code /parley/files/1.0.0} and their codec, with every limit checked before allocation. */
package org.parley.files.protocol.wire;
