package org.parley.node.storage;

/**
 * One numbered step of the database schema: the SQL script {@code resource} (next to this class,
 * under {@code migrations/}) takes the schema from {@code version - 1} to {@code version}.
 * Applied steps are never edited: a change is a new step. Immutable.
 */
record Migration(int version, String description, String resource) {}
