package org.parley.node.api;

/** The JSON body of every error answer: a stable code and a message for people. Immutable. */
public record ApiError(String error, String message) {}
