/**
 * The provider records a DHT server holds.
 */
package org.parley.dht.provider;
