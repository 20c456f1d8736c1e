package org.parley.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.dnsaddr.DnsaddrResolver;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.service.ServiceException;
import org.parley.node.storage.KeyValueStore;

/**
 * The editable bootstrap list: added and removed addresses are kept apart from the configured
 * ones, so a restart (a new {@link BootstrapPeers#effective}) starts from the same list; bad,
 * duplicate and surplus addresses are refused with a message. The addresses point at a closed
 * loopback port: the keeper's dials fail and back off, which this test does not wait for.
 */
class BootstrapPeersTest {

    private Host host;
    private BootstrapKeeper keeper;
    private final MapStore store = new MapStore();
    private final Multiaddr configured = unreachable();

    @BeforeEach
    void start() throws Exception {
        host = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).build();
        host.start();
        keeper = new BootstrapKeeper(host, BootstrapPeers.effective(List.of(configured), store),
                DnsaddrResolver.system());
        keeper.start();
    }

    @AfterEach
    void stop() throws Exception {
        keeper.close();
        host.close();
    }

    @Test
    void editsAreKeptApartFromTheConfigAndSurviveARestart() throws Exception {
        BootstrapPeers peers = new BootstrapPeers(host, keeper, List.of(configured), store);
        Multiaddr added = unreachable();

        peers.add(added.toString());
        assertThat(peers.list()).extracting(BootstrapPeers.Peer::address).containsExactly(configured, added);
        assertThat(peers.list()).extracting(BootstrapPeers.Peer::configured).containsExactly(true, false);

        peers.remove(configured.toString());
        assertThat(peers.list()).extracting(BootstrapPeers.Peer::address).containsExactly(added);
        assertThat(BootstrapPeers.effective(List.of(configured), store)).containsExactly(added);

        // Added back, the configured address is no longer an edit at all.
        peers.add(" " + configured + " ");
        assertThat(BootstrapPeers.effective(List.of(configured), store)).containsExactlyInAnyOrder(configured, added);
        peers.remove(added.toString());
        assertThat(BootstrapPeers.effective(List.of(configured), store)).containsExactly(configured);
        assertThat(new String(store.get(BootstrapPeers.ADDED).orElseThrow())).isEmpty();
        assertThat(new String(store.get(BootstrapPeers.REMOVED).orElseThrow())).isEmpty();
    }

    @Test
    void badDuplicateUnknownAndSurplusAddressesAreRefusedWithAMessage() throws Exception {
        BootstrapPeers peers = new BootstrapPeers(host, keeper, List.of(configured), store);

        assertThatThrownBy(() -> peers.add("nonsense")).isInstanceOf(ServiceException.class)
                .hasMessageContaining("bad multiaddr 'nonsense'");
        assertThatThrownBy(() -> peers.add(configured.withoutPeerId().toString()))
                .isInstanceOf(ServiceException.class).hasMessageContaining("must end in /p2p/<PeerId>");
        assertThatThrownBy(() -> peers.add(configured.toString())).isInstanceOf(ServiceException.class)
                .hasMessageContaining("is a bootstrap peer already");
        Multiaddr stranger = unreachable();
        assertThatThrownBy(() -> peers.remove(stranger.toString()))
                .isInstanceOfSatisfying(ServiceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.NOT_FOUND));

        for (int i = 1; i < BootstrapPeers.MAX_PEERS; i++) {
            peers.add(unreachable().toString());
        }
        assertThat(peers.list()).hasSize(BootstrapPeers.MAX_PEERS);
        assertThatThrownBy(() -> peers.add(stranger.toString())).isInstanceOf(ServiceException.class)
                .hasMessageContaining("at most " + BootstrapPeers.MAX_PEERS);
        assertThat(BootstrapPeers.effective(List.of(configured), store)).hasSize(BootstrapPeers.MAX_PEERS);
    }

    /** Port 1 on loopback: nothing listens there, so a dial is refused at once. */
    private static Multiaddr unreachable() {
        return Multiaddr.parse("/ip4/127.0.0.1/tcp/1").withPeerId(PeerId.fromPublicKey(
                Ed25519PrivateKey.generate().publicKey()));
    }

    private static final class MapStore implements KeyValueStore {
        private final Map<String, byte[]> values = new HashMap<>();

        @Override
        public synchronized Optional<byte[]> get(String key) {
            return Optional.ofNullable(values.get(key));
        }

        @Override
        public synchronized void put(String key, byte[] value) {
            values.put(key, value.clone());
        }

        @Override
        public synchronized boolean delete(String key) {
            return values.remove(key) != null;
        }
    }
}
