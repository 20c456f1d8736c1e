package org.parley.node.api;

/**
 * The paths of the node's HTTP API, used by the routes that serve them and the CLI that calls
 * them. They are a contract with scripts (see the README's HTTP API table). Constants only.
 */
public final class ApiPaths {

    /** The web UI's page; its files are under {@code /ui/} and {@code /lib/} (see the web-ui module's WebUi). */
    public static final String ROOT = "/";
    public static final String ID = "/api/id";
    public static final String PEERS = "/api/peers";
    public static final String PING = "/api/ping";
    public static final String CONNECT = "/api/connect";
    public static final String DHT_FIND_PEER = "/api/dht/find-peer";
    public static final String DHT_PROVIDE = "/api/dht/provide";
    public static final String DHT_PROVIDERS = "/api/dht/providers";
    public static final String DHT_GET = "/api/dht/get";
    public static final String DHT_PUT = "/api/dht/put";
    public static final String DHT_ROUTING_TABLE = "/api/dht/routing-table";
    public static final String FIND_USER = "/api/find-user";

    private ApiPaths() {}
}
