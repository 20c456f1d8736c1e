package org.parley.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code parley dht ...}: Kademlia operations on the running node (find a peer, provide and find
 * providers, get and put records, show the routing table). Only groups its subcommands.
 */
@Command(name = "dht", mixinStandardHelpOptions = true,
        description = "Query the DHT through the running node.",
        subcommands = {
            DhtCommand.FindPeer.class,
            DhtCommand.Provide.class,
            DhtCommand.Providers.class,
            DhtCommand.Get.class,
            DhtCommand.Put.class,
            DhtCommand.RoutingTable.class,
        })
final class DhtCommand {

    static final String KEY_HELP = "A provider key: a CID or multihash (bafy..., Qm..., z...), or 'self' for"
            + " this node's rendezvous key.";
    static final String RECORD_KEY_HELP = "A record key: /<namespace>/<name>, e.g. /parley/<PeerId>/status"
            + " or /pk/<PeerId>.";

    private DhtCommand() {}

    /** {@code dht find-peer}: a peer's addresses by FIND_NODE lookups. */
    @Command(name = "find-peer", mixinStandardHelpOptions = true, description = "Find a peer's addresses in the DHT.")
    static final class FindPeer extends ClientCommand {

        @Parameters(index = "0", paramLabel = "PEER_ID")
        String peer;

        @Override
        JsonNode request(ApiClient client) throws CliException {
            return client.post("/api/dht/find-peer", Map.of("peer", peer));
        }

        @Override
        void printText(JsonNode answer, PrintWriter out) {
            out.println("peer-id: " + text(answer, "peerId"));
            for (JsonNode address : answer.path("addresses")) {
                out.println("address: " + address.asText());
            }
        }
    }

    /** {@code dht provide}: announce that this node provides a key. */
    @Command(name = "provide", mixinStandardHelpOptions = true,
            description = "Announce this node as a provider of KEY (ADD_PROVIDER to the closest peers).")
    static final class Provide extends ClientCommand {

        @Parameters(index = "0", paramLabel = "KEY", description = KEY_HELP)
        String key;

        @Override
        JsonNode request(ApiClient client) throws CliException {
            return client.post("/api/dht/provide", Map.of("key", key));
        }

        @Override
        void printText(JsonNode answer, PrintWriter out) {
            out.println("providing " + text(answer, "key") + " (announced to " + text(answer, "announcedTo") + " peers)");
        }
    }

    /** {@code dht providers}: who provides a key. */
    @Command(name = "providers", mixinStandardHelpOptions = true, description = "Find the providers of KEY.")
    static final class Providers extends ClientCommand {

        @Parameters(index = "0", paramLabel = "KEY", description = KEY_HELP)
        String key;

        @Override
        JsonNode request(ApiClient client) throws CliException {
            return client.post("/api/dht/providers", Map.of("key", key));
        }

        @Override
        void printText(JsonNode answer, PrintWriter out) {
            JsonNode providers = answer.path("providers");
            if (providers.isEmpty()) {
                out.println("no providers found for " + text(answer, "key"));
                return;
            }
            for (JsonNode provider : providers) {
                out.println("provider: " + text(provider, "peerId"));
                for (JsonNode address : provider.path("addresses")) {
                    out.println("  address: " + address.asText());
                }
            }
        }
    }

    /** {@code dht get}: the best record stored under a key. */
    @Command(name = "get", mixinStandardHelpOptions = true, description = "Get the best record stored under KEY.")
    static final class Get extends ClientCommand {

        @Parameters(index = "0", paramLabel = "KEY", description = RECORD_KEY_HELP)
        String key;

        @Override
        JsonNode request(ApiClient client) throws CliException {
            return client.post("/api/dht/get", Map.of("key", key));
        }

        @Override
        void printText(JsonNode answer, PrintWriter out) {
            JsonNode value = answer.get("value");
            if (value != null && !value.isNull()) {
                out.println(value.asText());
            } else {
                out.println("(binary value, base64) " + text(answer, "valueBase64"));
            }
        }
    }

    /** {@code dht put}: store a record under a key. */
    @Command(name = "put", mixinStandardHelpOptions = true, description = "Store VALUE (UTF-8 text) under KEY.")
    static final class Put extends ClientCommand {

        @Parameters(index = "0", paramLabel = "KEY", description = RECORD_KEY_HELP)
        String key;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        JsonNode request(ApiClient client) throws CliException {
            return client.post("/api/dht/put", Map.of("key", key, "value", value));
        }

        @Override
        void printText(JsonNode answer, PrintWriter out) {
            out.println("stored " + text(answer, "key") + " on " + text(answer, "storedOn") + " peers");
        }
    }

    /** {@code dht routing-table}: the node's k-buckets. */
    @Command(name = "routing-table", mixinStandardHelpOptions = true, description = "Show the routing table.")
    static final class RoutingTable extends ClientCommand {

        @Override
        JsonNode request(ApiClient client) throws CliException {
            return client.get("/api/dht/routing-table");
        }

        @Override
        void printText(JsonNode answer, PrintWriter out) {
            out.println("mode: " + text(answer, "mode"));
            out.println("peers: " + text(answer, "size"));
            for (JsonNode bucket : answer.path("buckets")) {
                JsonNode peers = bucket.path("peers");
                out.println("bucket " + text(bucket, "index") + " (" + peers.size() + " peers)");
                for (JsonNode peer : peers) {
                    out.println("  " + text(peer, "peerId"));
                }
            }
        }
    }
}
