/**
 * The network feature: {@link org.parley.node.network.NetworkService} (this node's id and
 * addresses, its peers, ping and connect, refusing the node itself) and its
 * {@link org.parley.node.network.NetworkFeature}.
 */
package org.parley.node.network;
