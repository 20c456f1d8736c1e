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
    /** The bootstrap peers kept now; {@code add} and {@code remove} take a {@code multiaddr}. */
    public static final String BOOTSTRAP = "/api/bootstrap";
    public static final String BOOTSTRAP_ADD = "/api/bootstrap/add";
    public static final String BOOTSTRAP_REMOVE = "/api/bootstrap/remove";
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
    public static final String GROUPS = "/api/groups";
    public static final String GROUPS_ADD = "/api/groups/add";
    public static final String GROUPS_REMOVE = "/api/groups/remove";
    public static final String GROUPS_LEAVE = "/api/groups/leave";
    public static final String GROUPS_RENAME = "/api/groups/rename";
    public static final String GROUPS_PROMOTE = "/api/groups/promote";
    /** Marks a contact's messages read up to {@code upTo}, sending the receipts (or a group's, named by its id). */
    public static final String MESSAGES_READ = "/api/messages/read";
    /** Unread counts per contact and per group, kept by the node across page loads. */
    public static final String CONVERSATIONS_UNREAD = "/api/conversations/unread";
    public static final String FILES_SHARE = "/api/files/share";
    public static final String FILES_UNSHARE = "/api/files/unshare";
    public static final String FILES_GET = "/api/files/get";
    /** The request body is the file, {@code ?name=} its name: written to the data dir's shared/ and shared. */
    public static final String FILES_UPLOAD = "/api/files/upload";
    /** Downloads {@code link} into the data dir's received/. */
    public static final String FILES_FETCH = "/api/files/fetch";
    /** The whole file of share or download {@code ?id=}, as an attachment. */
    public static final String FILES_CONTENT = "/api/files/content";
    public static final String TRANSFERS = "/api/transfers";
    public static final String TRANSFERS_SHOW = "/api/transfers/show";
    public static final String TRANSFERS_PAUSE = "/api/transfers/pause";
    public static final String TRANSFERS_RESUME = "/api/transfers/resume";
    public static final String TRANSFERS_CANCEL = "/api/transfers/cancel";
    /** GET: the download limit; POST {@code maxDownloadRate} (bytes a second, 0 for none): changes it. */
    public static final String SETTINGS_DOWNLOAD_RATE = "/api/settings/download-rate";
    public static final String SYNC = "/api/sync";
    public static final String SYNC_RUN = "/api/sync/run";

    public static final String DEVICES = "/api/devices";
    public static final String DEVICES_LINK = "/api/devices/link";
    /** The link code of {@code ?code=} as an SVG QR code, for the page (whose images come from the node only). */
    public static final String DEVICES_LINK_QR = "/api/devices/link/qr";
    public static final String DEVICES_REVOKE = "/api/devices/revoke";
    /**
     * POST {@code code}: makes this fresh node a new device of the user whose other device made the
     * code (the page's {@code --link}); GET: how the last such request went.
     */
    public static final String DEVICES_LINK_THIS = "/api/devices/link-this";

    private ApiPaths() {}
}
