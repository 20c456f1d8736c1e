package org.parley.node.api.dto;

import java.util.List;

/**
 * {@code POST /api/sync/run}: the exchanges a sync run now made with the online siblings, and the
 * sync state afterwards. Immutable; serialized by Jackson, field names are the API's contract.
 */
public record SyncRunAnswer(List<SyncExchangeAnswer> exchanges, SyncAnswer sync) {}
