/**
 * The node's settings file (JSON or properties) and how it combines with defaults and the command
 * line. The DHT mode setting is {@link org.parley.dht.DhtConfig.ModePolicy}.
 */
package org.parley.node.config;
