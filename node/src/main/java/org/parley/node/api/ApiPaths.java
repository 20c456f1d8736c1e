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
    public static final String IDENTITIES = "/api/identities";
    /** Sets the display name ({@code name}) of {@code identity} (default: the default identity). */
    public static final String IDENTITIES_NAME = "/api/identities/name";
    public static final String IDENTITIES_RETIRE = "/api/identities/retire";
    /** The invite link of {@code ?identity=} (default: the default identity) as an SVG QR code. */
    public static final String IDENTITY_QR = "/api/identities/qr";
    public static final String CONTACTS = "/api/contacts";
    public static final String CONTACTS_ACCEPT = "/api/contacts/accept";
    public static final String CONTACTS_DECLINE = "/api/contacts/decline";
    public static final String CONTACTS_BLOCK = "/api/contacts/block";
    public static final String CONTACTS_UNBLOCK = "/api/contacts/unblock";
    public static final String CONTACTS_REMOVE = "/api/contacts/remove";
    public static final String CONTACTS_VERIFY = "/api/contacts/verify";
    public static final String SAFETY_NUMBER = "/api/contacts/safety-number";
    /** The safety number of {@code ?contact=} as an SVG QR code of its scannable form. */
    public static final String SAFETY_NUMBER_QR = "/api/contacts/safety-number/qr";
    public static final String REQUESTS = "/api/requests";
    public static final String MESSAGES = "/api/messages";
    public static final String HISTORY = "/api/messages/history";
    public static final String MESSAGES_FILE = "/api/messages/file";
    public static final String CONVERSATIONS = "/api/conversations";
    public static final String FILES_SHARE = "/api/files/share";
    public static final String FILES_UNSHARE = "/api/files/unshare";
    public static final String FILES_GET = "/api/files/get";
    public static final String TRANSFERS = "/api/transfers";
    public static final String TRANSFERS_SHOW = "/api/transfers/show";
    public static final String TRANSFERS_PAUSE = "/api/transfers/pause";
    public static final String TRANSFERS_RESUME = "/api/transfers/resume";
    public static final String TRANSFERS_CANCEL = "/api/transfers/cancel";

    private ApiPaths() {}
}
