/**
 * The Parley node: {@link org.parley.node.ParleyNode} starts the data dir lock, the libp2p host,
 * the DHT and the bootstrap connections, then each {@link org.parley.node.feature.Feature}
 * ({@code network}, {@code dht}, {@code identity}, {@code files}, {@code events}, {@code chat} with
 * {@code contacts}, {@code web}; later sync), then the local HTTP API, which also serves the web UI
 * ({@code web}: the page of the {@code web-ui} module behind a token cookie and a strict
 * Content-Security-Policy), and closes them in reverse. The host carries TCP and the circuit relay
 * client; {@code nat} runs the relay hop service as {@code --relay-service} and AutoNAT say, and
 * reserves relay slots while AutoNAT finds the node private; {@code versions} keeps contact devices'
 * client versions and flags those an unsafe-version list names. Features hold their logic in services; {@code api} and
 * {@code cli} only translate to and from them.
 */
package org.parley.node;
