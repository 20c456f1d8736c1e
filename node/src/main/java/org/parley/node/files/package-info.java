/**
 * File sharing in the node, on the {@code file-transfer} module:
 * {@link org.parley.node.files.FilesService} keeps the shares (served from where the files lie)
 * and downloads (pieces decrypted as they are verified into {@code <data dir>/downloads/<file id>.part},
 * laid out as the file, which is renamed into its directory at the end), serves both to peers over
 * {@code /parley/files/1.0.0} (a download announces each new piece to the peers fetching from it),
 * provides their file ids on
 * the DHT, publishes {@code transfer.progress} (at a bounded rate) and {@code transfer.state}
 * events, and records both in the database (schema step 3, paths, keys and links sealed) so they
 * survive a restart. {@link org.parley.node.files.FilesFeature} starts it; the API's
 * {@code FilesRoutes} and the CLI's {@code share}, {@code unshare}, {@code get},
 * {@code transfers}, {@code pause}, {@code resume} and {@code cancel} translate to it.
 */
package org.parley.node.files;
