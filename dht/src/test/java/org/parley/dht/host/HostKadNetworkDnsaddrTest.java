package org.parley.dht.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.dht.host.HostNodes.CONFIG;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.dht.host.HostNodes.Node;
import org.parley.dht.routing.PeerRef;
import org.parley.libp2p.dnsaddr.DnsaddrResolver;
import org.parley.libp2p.dnsaddr.LoopbackDnsServer;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * A DHT node joining through a {@code /dnsaddr/} bootstrap address, as the public bootstrap list
 * names its peers, with a DNS server this test runs on 127.0.0.1 and real hosts on loopback.
 */
@Timeout(60)
class HostKadNetworkDnsaddrTest {

    private final HostNodes nodes = new HostNodes();
    private LoopbackDnsServer dns;
    private DnsaddrResolver resolver;

    @BeforeEach
    void startDns() throws Exception {
        dns = LoopbackDnsServer.start();
        resolver = DnsaddrResolver.using(dns.address(), Duration.ofSeconds(5));
    }

    @AfterEach
    void closeAll() throws Exception {
        nodes.close();
        dns.close();
    }

    @Test
    void joinsThroughADnsaddrBootstrapAddress() throws Exception {
        Node server = nodes.node(CONFIG);
        dns.txt("_dnsaddr.bootstrap.test", "dnsaddr=/dnsaddr/one.bootstrap.test/p2p/" + server.id())
                .txt("_dnsaddr.one.bootstrap.test", "dnsaddr=" + server.multiaddr());
        Multiaddr bootstrap = Multiaddr.parse("/dnsaddr/bootstrap.test/p2p/" + server.id());
        Node joiner = nodes.node(CONFIG.withBootstrap(List.of(bootstrap)), resolver);

        int size = joiner.dht().bootstrap();

        assertThat(size).isEqualTo(1);
        assertThat(joiner.dht().routingTable().peers()).singleElement().satisfies(entry -> {
            assertThat(entry.id()).isEqualTo(server.id());
            // What the peer said of itself, not the /dnsaddr/ name, which others might not resolve.
            assertThat(entry.addrs()).contains(server.host().listenAddresses().getFirst())
                    .noneMatch(DnsaddrResolver::isDnsaddr);
        });
        assertThat(joiner.host().connections(server.id())).isNotEmpty();
    }

    @Test
    void aDnsaddrThatDoesNotResolveCostsOnlyThatBootstrapPeer() throws Exception {
        Node server = nodes.node(CONFIG);
        Node other = nodes.node(CONFIG);
        Multiaddr unresolvable = Multiaddr.parse("/dnsaddr/missing.test/p2p/" + other.id());
        Node joiner = nodes.node(CONFIG.withBootstrap(List.of(unresolvable, server.multiaddr())), resolver);

        joiner.dht().bootstrap();

        assertThat(joiner.dht().routingTable().peers()).extracting(PeerRef::id).contains(server.id());
        assertThat(joiner.host().connections(other.id())).isEmpty();
        assertThat(dns.namesQueried()).extracting(Object::toString).containsExactly("_dnsaddr.missing.test.");
    }
}
