package org.parley.libp2p.dnsaddr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/** {@link DnsaddrResolver} against a DNS server this test runs on 127.0.0.1. */
class DnsaddrResolverTest {

    private static final PeerId A = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    private static final PeerId B = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());

    private LoopbackDnsServer dns;
    private DnsaddrResolver resolver;

    @BeforeEach
    void startDns() throws Exception {
        dns = LoopbackDnsServer.start();
        resolver = DnsaddrResolver.using(dns.address(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stopDns() throws Exception {
        assertThat(dns.failures()).isEmpty();
        dns.close();
    }

    @Test
    void followsTheBootstrapListShapeToTheNamedPeerOnly() throws Exception {
        dns.txt("_dnsaddr.bootstrap.test", "dnsaddr=/dnsaddr/am6.bootstrap.test/p2p/" + A)
                .txt("_dnsaddr.bootstrap.test", "dnsaddr=/dnsaddr/ny5.bootstrap.test/p2p/" + B)
                .txt("_dnsaddr.am6.bootstrap.test", "dnsaddr=/ip4/198.51.100.7/tcp/4001/p2p/" + A)
                .txt("_dnsaddr.am6.bootstrap.test", "dnsaddr=/ip6/2001:db8::7/tcp/4001/p2p/" + A)
                .txt("_dnsaddr.am6.bootstrap.test", "dnsaddr=/ip4/198.51.100.7/udp/4001/quic-v1/p2p/" + A)
                .txt("_dnsaddr.ny5.bootstrap.test", "dnsaddr=/ip4/198.51.100.8/tcp/4001/p2p/" + B);

        List<Multiaddr> resolved = resolver.resolve(Multiaddr.parse("/dnsaddr/bootstrap.test/p2p/" + A));

        assertThat(resolved).containsExactly(
                Multiaddr.parse("/ip4/198.51.100.7/tcp/4001/p2p/" + A),
                Multiaddr.parse("/ip6/2001:db8::7/tcp/4001/p2p/" + A),
                Multiaddr.parse("/ip4/198.51.100.7/udp/4001/quic-v1/p2p/" + A));
        assertThat(dns.queries()).as("ny5 is never asked about").isEqualTo(2);
    }

    @Test
    void withoutAPeerIdEveryAddressIsKept() throws Exception {
        dns.txt("_dnsaddr.two.test", "dnsaddr=/ip4/198.51.100.7/tcp/4001/p2p/" + A)
                .txt("_dnsaddr.two.test", "dnsaddr=/ip4/198.51.100.8/tcp/4001/p2p/" + B);

        assertThat(resolver.resolve(Multiaddr.parse("/dnsaddr/two.test"))).extracting(Multiaddr::peerId)
                .containsExactly(A, B);
    }

    @Test
    void anAddressThatIsNotDnsaddrIsReturnedAsItIsWithoutAQuery() throws Exception {
        Multiaddr plain = Multiaddr.parse("/dns4/example.test/tcp/4001/p2p/" + A);
        assertThat(resolver.resolve(plain)).containsExactly(plain);
        assertThat(dns.queries()).isZero();
    }

    @Test
    void skipsOtherTxtRecordsAndBadMultiaddrs() throws Exception {
        dns.txt("_dnsaddr.mixed.test", "v=spf1 -all")
                .txt("_dnsaddr.mixed.test", "dnsaddr=/nonsense/1")
                .txt("_dnsaddr.mixed.test", "dnsaddr=/ip4/198.51.100.7/tcp/4001/p2p/" + A);

        assertThat(resolver.resolve(Multiaddr.parse("/dnsaddr/mixed.test/p2p/" + A)))
                .containsExactly(Multiaddr.parse("/ip4/198.51.100.7/tcp/4001/p2p/" + A));
    }

    @Test
    void joinsARecordSplitIntoSeveralStrings() throws Exception {
        dns.txtStrings("_dnsaddr.split.test", List.of("dnsaddr=/ip4/198.51.100.7", "/tcp/4001/p2p/" + A));

        assertThat(resolver.resolve(Multiaddr.parse("/dnsaddr/split.test/p2p/" + A)))
                .containsExactly(Multiaddr.parse("/ip4/198.51.100.7/tcp/4001/p2p/" + A));
    }

    @Test
    void aLoopStopsAtTheDepthLimit() {
        dns.txt("_dnsaddr.loop.test", "dnsaddr=/dnsaddr/loop.test/p2p/" + A);

        assertThatThrownBy(() -> resolver.resolve(Multiaddr.parse("/dnsaddr/loop.test/p2p/" + A)))
                .isInstanceOf(DnsaddrException.class)
                .hasMessage("cannot resolve /dnsaddr/loop.test/p2p/" + A + ": its records nest /dnsaddr/ more than "
                        + DnsaddrResolver.MAX_DEPTH + " levels deep");
        assertThat(dns.queries()).isEqualTo(DnsaddrResolver.MAX_DEPTH);
    }

    @Test
    void aFanOutStopsAtTheLookupLimitKeepingWhatItFound() throws Exception {
        for (int i = 0; i < 40; i++) {
            dns.txt("_dnsaddr.fan.test", "dnsaddr=/dnsaddr/leaf" + i + ".test");
            dns.txt("_dnsaddr.leaf" + i + ".test", "dnsaddr=/ip4/198.51.100." + i + "/tcp/4001");
        }

        List<Multiaddr> resolved = resolver.resolve(Multiaddr.parse("/dnsaddr/fan.test"));

        assertThat(dns.namesQueried()).hasSize(DnsaddrResolver.MAX_LOOKUPS);
        assertThat(resolved).hasSize(DnsaddrResolver.MAX_LOOKUPS - 1)
                .startsWith(Multiaddr.parse("/ip4/198.51.100.0/tcp/4001"));
    }

    @Test
    void returnsAtMostTheAddressLimit() throws Exception {
        List<Multiaddr> published = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Multiaddr addr = Multiaddr.parse("/ip4/198.51.100." + i + "/tcp/4001/p2p/" + A);
            published.add(addr);
            dns.txt("_dnsaddr.many.test", "dnsaddr=" + addr);
        }

        assertThat(resolver.resolve(Multiaddr.parse("/dnsaddr/many.test/p2p/" + A)))
                .containsExactlyElementsOf(published.subList(0, DnsaddrResolver.MAX_ADDRESSES));
    }

    @Test
    void aNameThatDoesNotExistIsATypedErrorNamingIt() {
        assertThatThrownBy(() -> resolver.resolve(Multiaddr.parse("/dnsaddr/missing.test/p2p/" + A)))
                .isInstanceOf(DnsaddrException.class)
                .hasMessage("cannot resolve /dnsaddr/missing.test/p2p/" + A
                        + ": _dnsaddr.missing.test does not exist in DNS");
    }

    @Test
    void noRecordForTheNamedPeerIsATypedError() {
        dns.txt("_dnsaddr.other.test", "dnsaddr=/ip4/198.51.100.8/tcp/4001/p2p/" + B);

        assertThatThrownBy(() -> resolver.resolve(Multiaddr.parse("/dnsaddr/other.test/p2p/" + A)))
                .isInstanceOf(DnsaddrException.class)
                .hasMessage("cannot resolve /dnsaddr/other.test/p2p/" + A
                        + ": its TXT records at _dnsaddr.other.test list no address for that peer");
    }

    @Test
    void aBrokenBranchCostsOnlyThatBranch() throws Exception {
        dns.txt("_dnsaddr.branches.test", "dnsaddr=/dnsaddr/gone.test")
                .txt("_dnsaddr.branches.test", "dnsaddr=/ip4/198.51.100.9/tcp/4001");

        assertThat(resolver.resolve(Multiaddr.parse("/dnsaddr/branches.test")))
                .containsExactly(Multiaddr.parse("/ip4/198.51.100.9/tcp/4001"));
    }

    @Test
    void aServerThatNeverAnswersIsATypedErrorAfterTheTimeout() {
        dns.silent("_dnsaddr.silent.test");
        DnsaddrResolver impatient = DnsaddrResolver.using(dns.address(), Duration.ofMillis(300));

        assertThatThrownBy(() -> impatient.resolve(Multiaddr.parse("/dnsaddr/silent.test")))
                .isInstanceOf(DnsaddrException.class)
                .hasMessageStartingWith("cannot resolve /dnsaddr/silent.test: the DNS lookup of _dnsaddr.silent.test failed");
    }

    @Test
    void refusesMoreThanAHostAndAPeerId() {
        assertThatThrownBy(() -> resolver.resolve(Multiaddr.parse("/dnsaddr/x.test/tcp/4001")))
                .isInstanceOf(DnsaddrException.class)
                .hasMessage("cannot resolve /dnsaddr/x.test/tcp/4001: expected /dnsaddr/<host> or"
                        + " /dnsaddr/<host>/p2p/<peer id>, got /dnsaddr/x.test/tcp/4001");
    }
}
