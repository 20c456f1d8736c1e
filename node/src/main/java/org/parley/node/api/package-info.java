/**
 * The local HTTP API (Javalin on 127.0.0.1): access checks, limits (request head deadline,
 * connection cap, body size), JSON errors, and one route group per feature that only translates
 * between JSON ({@link org.parley.node.api.dto}) and the feature's service. Paths are in
 * {@link org.parley.node.api.ApiPaths}; a {@link org.parley.node.service.ServiceException} becomes
 * a 4xx or 5xx answer by its kind, without a stack trace. The web page's own needs have routes
 * of their own: {@link org.parley.node.api.FilesWebRoutes} (upload, fetch into the data dir, serve a
 * whole file back, via {@link org.parley.node.api.FileUploads}) and
 * {@link org.parley.node.api.BootstrapRoutes} (editable bootstrap peers).
 */
package org.parley.node.api;
