/**
 * File sharing in the node, on the {@code file-transfer} module:
 * {@link org.parley.node.files.FilesService} keeps the shares (served from where the files lie)
 * and downloads (pieces under {@code <data dir>/downloads/}, the file moved into its directory at
 * the end), serves both to peers over {@code /parley/files/1.0.0}, provides their file ids on
 * the DHT, publishes {@code transfer.progress} (at a bounded rate) and {@code transfer.state}
 * events, and records both in the database (schema step 3, paths, keys and links sealed) so they
 * survive a restart. {@link org.parley.node.files.FilesFeature} starts it; the API's
 * {@code FilesRoutes} and the CLI's {@code share}, {@code unshare}, {@code get},
 * {@code transfers}, {@code pause}, {@code resume} and {@code cancel} translate to it.
 */
package org.parley.node.files;
