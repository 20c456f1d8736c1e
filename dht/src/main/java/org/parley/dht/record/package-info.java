/**
 * Value records: per-namespace validators ({@code pk}, {@code parley}) and the store a DHT server keeps.
 */
package org.parley.dht.record;
