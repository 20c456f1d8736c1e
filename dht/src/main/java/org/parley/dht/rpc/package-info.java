/**
 * The kad wire messages, their protobuf codec, and the server-side request handler.
 */
package org.parley.dht.rpc;
