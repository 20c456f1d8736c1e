/**
 * How the node's features plug in: each {@link org.parley.node.feature.Feature} starts from a
 * {@link org.parley.node.feature.FeatureContext} (host, DHT, device key, clock, settings) and
 * returns its protocol handlers, API routes and closeables as
 * {@link org.parley.node.feature.FeatureParts}; {@code ParleyNode} starts them in order and
 * closes what they return. A feature offers a service to the features after it through
 * {@link org.parley.node.feature.FeatureServices} (devices and chat to history sync).
 */
package org.parley.node.feature;
