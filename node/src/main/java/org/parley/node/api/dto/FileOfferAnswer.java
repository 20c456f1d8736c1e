package org.parley.node.api.dto;

/**
 * The file of a file-offer message: its link (with the key; {@code POST /api/files/get} with it
 * downloads the file), the file's name and its size in bytes. Immutable.
 */
public record FileOfferAnswer(String link, String name, long size) {}
