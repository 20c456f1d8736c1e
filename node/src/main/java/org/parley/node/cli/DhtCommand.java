package org.parley.node.cli;

import java.io.PrintWriter;
import java.util.List;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.Bucket;
import org.parley.node.api.dto.DhtPeer;
import org.parley.node.api.dto.FindPeerAnswer;
import org.parley.node.api.dto.GetAnswer;
import org.parley.node.api.dto.KeyRequest;
import org.parley.node.api.dto.PeerRequest;
import org.parley.node.api.dto.ProvideAnswer;
import org.parley.node.api.dto.ProvidersAnswer;
import org.parley.node.api.dto.ProvidersRequest;
import org.parley.node.api.dto.PutAnswer;
import org.parley.node.api.dto.PutRequest;
import org.parley.node.api.dto.RoutingTableAnswer;
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
    static final class FindPeer extends ClientCommand<FindPeerAnswer> {

        @Parameters(index = "0", paramLabel = "PEER_ID")
        String peer;

        @Override
        ApiClient.Answer<FindPeerAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.DHT_FIND_PEER, new PeerRequest(peer), FindPeerAnswer.class);
        }

        @Override
        void printText(FindPeerAnswer answer, PrintWriter out) {
            out.println("peer-id: " + answer.peerId());
            for (String address : orEmpty(answer.addresses())) {
                out.println("address: " + address);
            }
        }
    }

    /** {@code dht provide}: announce that this node provides a key. */
    @Command(name = "provide", mixinStandardHelpOptions = true,
            description = "Announce this node as a provider of KEY (ADD_PROVIDER to the closest peers).")
    static final class Provide extends ClientCommand<ProvideAnswer> {

        @Parameters(index = "0", paramLabel = "KEY", description = KEY_HELP)
        String key;

        @Override
        ApiClient.Answer<ProvideAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.DHT_PROVIDE, new KeyRequest(key), ProvideAnswer.class);
        }

        @Override
        void printText(ProvideAnswer answer, PrintWriter out) {
            out.println("providing " + answer.key() + " (announced to " + answer.announcedTo() + " peers)");
        }
    }

    /** {@code dht providers}: who provides a key. */
    @Command(name = "providers", mixinStandardHelpOptions = true, description = "Find the providers of KEY.")
    static final class Providers extends ClientCommand<ProvidersAnswer> {

        @Parameters(index = "0", paramLabel = "KEY", description = KEY_HELP)
        String key;

        @Override
        ApiClient.Answer<ProvidersAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.DHT_PROVIDERS, new ProvidersRequest(key, null), ProvidersAnswer.class);
        }

        @Override
        void printText(ProvidersAnswer answer, PrintWriter out) {
            List<DhtPeer> providers = orEmpty(answer.providers());
            if (providers.isEmpty()) {
                out.println("no providers found for " + answer.key());
                return;
            }
            for (DhtPeer provider : providers) {
                out.println("provider: " + provider.peerId());
                for (String address : orEmpty(provider.addresses())) {
                    out.println("  address: " + address);
                }
            }
        }
    }

    /** {@code dht get}: the best record stored under a key. */
    @Command(name = "get", mixinStandardHelpOptions = true, description = "Get the best record stored under KEY.")
    static final class Get extends ClientCommand<GetAnswer> {

        @Parameters(index = "0", paramLabel = "KEY", description = RECORD_KEY_HELP)
        String key;

        @Override
        ApiClient.Answer<GetAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.DHT_GET, new KeyRequest(key), GetAnswer.class);
        }

        @Override
        void printText(GetAnswer answer, PrintWriter out) {
            if (answer.value() != null) {
                out.println(answer.value());
            } else {
                out.println("(binary value, base64) " + orDash(answer.valueBase64()));
            }
        }
    }

    /** {@code dht put}: store a record under a key. */
    @Command(name = "put", mixinStandardHelpOptions = true, description = "Store VALUE (UTF-8 text) under KEY.")
    static final class Put extends ClientCommand<PutAnswer> {

        @Parameters(index = "0", paramLabel = "KEY", description = RECORD_KEY_HELP)
        String key;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        ApiClient.Answer<PutAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.DHT_PUT, new PutRequest(key, value), PutAnswer.class);
        }

        @Override
        void printText(PutAnswer answer, PrintWriter out) {
            out.println("stored " + answer.key() + " on " + answer.storedOn() + " peers");
        }
    }

    /** {@code dht routing-table}: the node's k-buckets. */
    @Command(name = "routing-table", mixinStandardHelpOptions = true, description = "Show the routing table.")
    static final class RoutingTable extends ClientCommand<RoutingTableAnswer> {

        @Override
        ApiClient.Answer<RoutingTableAnswer> request(ApiClient client) throws CliException {
            return client.get(ApiPaths.DHT_ROUTING_TABLE, RoutingTableAnswer.class);
        }

        @Override
        void printText(RoutingTableAnswer answer, PrintWriter out) {
            out.println("mode: " + answer.mode());
            out.println("peers: " + answer.size());
            for (Bucket bucket : orEmpty(answer.buckets())) {
                List<DhtPeer> peers = orEmpty(bucket.peers());
                out.println("bucket " + bucket.index() + " (" + peers.size() + " peers)");
                for (DhtPeer peer : peers) {
                    out.println("  " + peer.peerId());
                }
            }
        }
    }
}
