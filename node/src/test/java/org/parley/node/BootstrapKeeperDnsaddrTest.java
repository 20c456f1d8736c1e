package org.parley.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.dnsaddr.DnsaddrResolver;
import org.parley.libp2p.dnsaddr.LoopbackDnsServer;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * The bootstrap keeper reaching a peer named by a {@code /dnsaddr/} address, resolved through a
 * DNS server this test runs on 127.0.0.1, over real hosts on loopback.
 */
@Timeout(60)
class BootstrapKeeperDnsaddrTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private LoopbackDnsServer dns;

    @BeforeEach
    void startDns() throws Exception {
        dns = LoopbackDnsServer.start();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        dns.close();
    }

    @Test
    void connectsToAPeerNamedByDnsaddr() throws Exception {
        Host bootstrapPeer = host();
        Host node = host();
        Multiaddr published = bootstrapPeer.listenAddresses().getFirst().withPeerId(bootstrapPeer.peerId());
        dns.txt("_dnsaddr.bootstrap.test", "dnsaddr=/dnsaddr/one.bootstrap.test/p2p/" + bootstrapPeer.peerId())
                .txt("_dnsaddr.one.bootstrap.test", "dnsaddr=" + published);
        CountDownLatch connected = new CountDownLatch(1);
        Subscription subscription = node.subscribe(event -> {
            if (event instanceof HostEvent.PeerConnected up && up.peer().equals(bootstrapPeer.peerId())) {
                connected.countDown();
            }
        });
        toClose.add(subscription);

        BootstrapKeeper keeper = new BootstrapKeeper(node,
                List.of(Multiaddr.parse("/dnsaddr/bootstrap.test/p2p/" + bootstrapPeer.peerId())),
                DnsaddrResolver.using(dns.address(), Duration.ofSeconds(5)));
        toClose.add(keeper);
        keeper.start();

        assertThat(connected.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(node.connections(bootstrapPeer.peerId())).isNotEmpty();
        assertThat(dns.namesQueried()).extracting(Object::toString)
                .containsExactlyInAnyOrder("_dnsaddr.bootstrap.test.", "_dnsaddr.one.bootstrap.test.");
    }

    private Host host() throws Exception {
        Host host = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).build();
        toClose.add(host);
        host.start();
        return host;
    }
}
