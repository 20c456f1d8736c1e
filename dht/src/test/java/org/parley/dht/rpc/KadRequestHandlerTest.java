package org.parley.dht.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.dht.provider.ProviderStore;
import org.parley.dht.record.InvalidRecordException;
import org.parley.dht.record.NamespacedValidator;
import org.parley.dht.record.ParleyRecord;
import org.parley.dht.record.PublicKeyValidator;
import org.parley.dht.record.RecordStore;
import org.parley.dht.routing.AddressScope;
import org.parley.dht.routing.IpDiversityFilter;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.routing.RoutingTable;
import org.parley.dht.testing.ManualClock;
import org.parley.dht.testing.TestPeers;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Multihash;
import org.parley.libp2p.peer.PeerId;

class KadRequestHandlerTest {

    private final TestPeers peers = new TestPeers(5);
    private final ManualClock clock = new ManualClock();
    private final PeerRef self = peers.peer();
    private final RoutingTable table = new RoutingTable(self.kadId(), 20, 5, IpDiversityFilter.disabled());
    private final ProviderStore providers = new ProviderStore(Duration.ofHours(48), Duration.ofHours(24), 100, 1000);
    private final RecordStore records = new RecordStore(Duration.ofHours(48), 100);
    private final Map<PeerId, List<Multiaddr>> connected = new HashMap<>();
    private final KadRequestHandler handler = new KadRequestHandler(self.id(), table, providers, records,
            NamespacedValidator.standard(), new PeerRateLimiter(5, 1, 100, clock),
            peer -> peer.equals(self.id()) ? self.addrs() : connected.getOrDefault(peer, List.of()), clock);
    private final PeerRef sender = peers.peer();

    private List<PeerRef> fillTable(int candidates) {
        List<PeerRef> known = new ArrayList<>();
        for (int i = 0; i < candidates; i++) {
            PeerRef p = peers.peer();
            if (table.tryAdd(p, clock.instant()) == RoutingTable.AddResult.ADDED) {
                known.add(p);
            }
        }
        return known;
    }

    @Test
    void findNodeAnswersTheKClosestExceptTheSender() throws Libp2pException {
        List<PeerRef> known = fillTable(60);
        PeerRef target = known.get(7);
        table.tryAdd(sender, clock.instant());
        KadMessage answer = handler.handle(sender.id(), KadMessage.findNode(target.id().bytes())).orElseThrow();
        assertThat(answer.type()).isEqualTo(KadMessage.Type.FIND_NODE);
        assertThat(answer.closerPeers()).hasSize(20).first().isEqualTo(target);
        assertThat(answer.closerPeers()).extracting(PeerRef::id).doesNotContain(sender.id(), self.id());
        List<PeerRef> expected = new ArrayList<>(known);
        expected.sort((a, b) -> target.kadId().compareDistance(a.kadId(), b.kadId()));
        assertThat(answer.closerPeers()).containsExactlyElementsOf(expected.subList(0, 20));
    }

    @Test
    void findNodeNamesAConnectedTargetOutsideTheTableFirst() throws Libp2pException {
        List<PeerRef> servers = fillTable(40);
        PeerRef client = peers.peer();
        connected.put(client.id(), client.addrs());
        KadMessage answer = handler.handle(sender.id(), KadMessage.findNode(client.id().bytes())).orElseThrow();
        assertThat(answer.closerPeers()).hasSize(20).first().isEqualTo(client);
        assertThat(answer.closerPeers().subList(1, 20)).isSubsetOf(servers);

        PeerRef stranger = peers.peer();
        assertThat(handler.handle(sender.id(), KadMessage.findNode(stranger.id().bytes())).orElseThrow().closerPeers())
                .as("nobody names a peer it does not know").isSubsetOf(servers);
        PeerRef inTable = servers.get(3);
        connected.put(inTable.id(), List.of(Multiaddr.parse("/ip4/127.0.9.9/tcp/1")));
        assertThat(handler.handle(sender.id(), KadMessage.findNode(inTable.id().bytes())).orElseThrow().closerPeers())
                .as("a table entry is named once, as the table has it").containsOnlyOnce(inTable)
                .extracting(PeerRef::id).doesNotHaveDuplicates();
    }

    @Test
    void findNodeForUsNamesUsWithOurAddressesButNeverTellsASenderAboutItself() throws Libp2pException {
        fillTable(10);
        KadMessage aboutUs = handler.handle(sender.id(), KadMessage.findNode(self.id().bytes())).orElseThrow();
        assertThat(aboutUs.closerPeers()).first().isEqualTo(self);
        connected.put(sender.id(), sender.addrs());
        KadMessage aboutSender = handler.handle(sender.id(), KadMessage.findNode(sender.id().bytes())).orElseThrow();
        assertThat(aboutSender.closerPeers()).extracting(PeerRef::id).doesNotContain(sender.id()).hasSize(10);
    }

    @Test
    void aPublicScopeServerHandsOutAndStoresOnlyPublicAddresses() throws Libp2pException {
        RoutingTable publicTable = new RoutingTable(self.kadId(), 20, 5, IpDiversityFilter.disabled(),
                AddressScope.PUBLIC);
        KadRequestHandler publicHandler = new KadRequestHandler(self.id(), publicTable, providers, records,
                NamespacedValidator.standard(), new PeerRateLimiter(5, 1, 100, clock),
                peer -> connected.getOrDefault(peer, List.of()), clock);
        Multiaddr lan = Multiaddr.parse("/ip4/192.168.1.7/tcp/4001");
        Multiaddr wan = Multiaddr.parse("/ip4/8.8.8.8/tcp/4001");
        PeerRef lanOnly = new PeerRef(peers.id(), List.of(lan));
        PeerRef both = new PeerRef(peers.id(), List.of(lan, wan));
        connected.put(lanOnly.id(), lanOnly.addrs());
        connected.put(both.id(), both.addrs());
        assertThat(publicHandler.handle(sender.id(), KadMessage.findNode(lanOnly.id().bytes())).orElseThrow()
                .closerPeers()).isEmpty();
        assertThat(publicHandler.handle(sender.id(), KadMessage.findNode(both.id().bytes())).orElseThrow()
                .closerPeers()).containsExactly(new PeerRef(both.id(), List.of(wan)));

        byte[] key = Multihash.sha256(new byte[] {3}).bytes();
        publicHandler.handle(lanOnly.id(), KadMessage.addProvider(key, lanOnly));
        publicHandler.handle(both.id(), KadMessage.addProvider(key, both));
        assertThat(providers.get(key, clock.instant())).containsExactly(new PeerRef(both.id(), List.of(wan)));
    }

    @Test
    void storesOnlyProviderEntriesOfTheAuthenticatedSender() throws Libp2pException {
        byte[] key = Multihash.sha256("file".getBytes(StandardCharsets.UTF_8)).bytes();
        PeerRef someoneElse = peers.peer();
        KadMessage add = new KadMessage(KadMessage.Type.ADD_PROVIDER, key, null, List.of(),
                List.of(someoneElse, sender, new PeerRef(peers.id(), List.of())));
        assertThat(handler.handle(sender.id(), add)).isEmpty();
        assertThat(providers.get(key, clock.instant())).containsExactly(sender);

        KadMessage answer = handler.handle(peers.id(), KadMessage.getProviders(key)).orElseThrow();
        assertThat(answer.providerPeers()).containsExactly(sender);
    }

    @Test
    void ignoresAProviderEntryWithoutAddresses() throws Libp2pException {
        byte[] key = Multihash.sha256(new byte[] {1}).bytes();
        handler.handle(sender.id(), KadMessage.addProvider(key, new PeerRef(sender.id(), List.of())));
        assertThat(providers.size()).isZero();
    }

    @Test
    void refusesAProviderKeyLongerThanEightyBytes() {
        assertThatThrownBy(() -> handler.handle(sender.id(), KadMessage.addProvider(new byte[81], sender)))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("ADD_PROVIDER key of 81 bytes is outside 1 to 80");
    }

    @Test
    void storesAValidPublicKeyRecordAndServesIt() throws Libp2pException {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        PeerId owner = PeerId.fromPublicKey(key.publicKey());
        byte[] recordKey = PublicKeyValidator.keyFor(owner);
        KadMessage put = KadMessage.putValue(new KadRecord(recordKey, key.publicKey().marshal()));
        assertThat(handler.handle(sender.id(), put)).contains(put);

        clock.advance(Duration.ofHours(1));
        KadRecord got = handler.handle(sender.id(), KadMessage.getValue(recordKey)).orElseThrow().record();
        assertThat(got.value()).isEqualTo(key.publicKey().marshal());
        assertThat(got.timeReceived()).isEqualTo("2025-01-01T00:00:00Z");

        clock.advance(Duration.ofHours(48));
        assertThat(handler.handle(sender.id(), KadMessage.getValue(recordKey)).orElseThrow().record())
                .as("expired after 48 h").isNull();
    }

    @Test
    void refusesARecordWhoseKeyDiffersFromTheMessageKey() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        byte[] recordKey = PublicKeyValidator.keyFor(PeerId.fromPublicKey(key.publicKey()));
        KadMessage put = new KadMessage(KadMessage.Type.PUT_VALUE, "/pk/other".getBytes(StandardCharsets.UTF_8),
                new KadRecord(recordKey, key.publicKey().marshal()), List.of(), List.of());
        assertThatThrownBy(() -> handler.handle(sender.id(), put))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("PUT_VALUE key differs from its record's key");
        assertThat(records.size()).isZero();
    }

    @Test
    void refusesAnUnknownNamespace() {
        byte[] recordKey = "/ipns/whatever".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> handler.handle(sender.id(), KadMessage.putValue(new KadRecord(recordKey, new byte[1]))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("unknown record namespace 'ipns'; expected one of [parley, pk]");
    }

    @Test
    void refusesAValueThatFailsValidation() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Ed25519PrivateKey other = Ed25519PrivateKey.generate();
        PeerId owner = PeerId.fromPublicKey(key.publicKey());
        KadMessage put = KadMessage.putValue(new KadRecord(PublicKeyValidator.keyFor(owner), other.publicKey().marshal()));
        assertThatThrownBy(() -> handler.handle(sender.id(), put))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("/pk/ value is the key of " + PeerId.fromPublicKey(other.publicKey()) + ", not of " + owner
                        + " named in the key");
        KadMessage noRecord = new KadMessage(KadMessage.Type.PUT_VALUE, new byte[] {1}, null, List.of(), List.of());
        assertThatThrownBy(() -> handler.handle(sender.id(), noRecord))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("PUT_VALUE without a record");
    }

    @Test
    void keepsTheNewerOfTwoParleyRecords() throws Libp2pException {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        ParleyRecord v2 = ParleyRecord.sign(key, "devices", 2, new byte[] {2});
        ParleyRecord v1 = ParleyRecord.sign(key, "devices", 1, new byte[] {1});
        handler.handle(sender.id(), KadMessage.putValue(new KadRecord(v2.key(), v2.value())));
        assertThatThrownBy(() -> handler.handle(sender.id(), KadMessage.putValue(new KadRecord(v1.key(), v1.value()))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("PUT_VALUE carries a value older than the one stored");
        assertThat(records.get(v2.key(), clock.instant()).orElseThrow().value()).isEqualTo(v2.value());
    }

    @Test
    void limitsEachPeersRequestRate() throws Libp2pException {
        for (int i = 0; i < 5; i++) {
            handler.handle(sender.id(), KadMessage.ping());
        }
        assertThatThrownBy(() -> handler.handle(sender.id(), KadMessage.ping()))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("peer " + sender.id() + " exceeded its kad request limit of 5 at once and 1.0 per second");
        assertThat(handler.handle(peers.id(), KadMessage.ping())).as("other peers are not affected").isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(handler.handle(sender.id(), KadMessage.ping())).as("one token back after a second").isPresent();
        assertThatThrownBy(() -> handler.handle(sender.id(), KadMessage.ping())).isInstanceOf(PeerFaultException.class);
    }

    @Test
    void answersPingWithAnEcho() throws Libp2pException {
        assertThat(handler.handle(sender.id(), KadMessage.ping())).contains(KadMessage.ping());
    }

    @Test
    void getProvidersLeavesOutAddressesOlderThanTheirTtl() throws Libp2pException {
        byte[] key = Multihash.sha256(new byte[] {9}).bytes();
        handler.handle(sender.id(), KadMessage.addProvider(key, sender));
        clock.advance(Duration.ofHours(25));
        assertThat(handler.handle(peers.id(), KadMessage.getProviders(key)).orElseThrow().providerPeers())
                .containsExactly(new PeerRef(sender.id(), List.of()));
        clock.advance(Duration.ofHours(24));
        assertThat(handler.handle(peers.id(), KadMessage.getProviders(key)).orElseThrow().providerPeers()).isEmpty();
    }
}
