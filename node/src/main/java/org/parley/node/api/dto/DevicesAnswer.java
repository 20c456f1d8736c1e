package org.parley.node.api.dto;

import java.util.List;

/**
 * This user's devices under one identity, and the signed device list's version. Immutable;
 * serialized by Jackson, field names are the API's contract.
 */
public record DevicesAnswer(String identity, long version, List<DeviceAnswer> devices) {}
