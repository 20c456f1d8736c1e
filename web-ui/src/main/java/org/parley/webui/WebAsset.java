package org.parley.webui;

/**
 * One file the page loads: its bytes and the Content-Type to serve them with. Immutable; the
 * array is not copied, so callers must not change it.
 *
 * @param bytes the file's content
 * @param contentType e.g. {@code text/javascript; charset=utf-8}
 */
public record WebAsset(byte[] bytes, String contentType) {}
