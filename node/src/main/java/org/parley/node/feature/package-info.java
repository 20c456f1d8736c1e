/**
 * How the node's features plug in: each {@link org.parley.node.feature.Feature} starts from a
 * {@link org.parley.node.feature.FeatureContext} (host, DHT, device key, clock, settings) and
 * returns its protocol handlers, API routes and closeables as
 * {@link org.parley.node.feature.FeatureParts}; {@code ParleyNode} starts them in order and
 * closes what they return.
 */
package org.parley.node.feature;
