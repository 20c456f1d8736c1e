package org.parley.node.api.dto;

import java.util.List;

/** {@code GET /api/transfers}: every share and download, shares first. Immutable. */
public record TransfersAnswer(List<TransferAnswer> transfers) {}
