package org.parley.libp2p.protocol.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.transport.tcp.TcpTransport;

/** A relay and its clients on 127.0.0.1 for one test; closes them all. Not thread safe. */
final class RelayNetwork implements AutoCloseable {

    static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    private final List<AutoCloseable> open = new ArrayList<>();
    private final Clock clock;

    RelayNetwork(Clock clock) {
        this.clock = clock;
    }

    /** A started host on loopback TCP serving the hop protocol with {@code config}. */
    Relay relay(RelayConfig config) {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Host host = Libp2p.newHost().identity(key).listen(List.of(LOOPBACK)).clock(clock).build();
        start(host);
        RelayService service = new RelayService(host, key, config, clock);
        service.start();
        open.add(0, service);
        return new Relay(host, service);
    }

    /** A started client host on loopback TCP with a relay transport, also listening on {@code extra}. */
    Client client(Multiaddr... extra) {
        return client(HostLimits.defaults(), extra);
    }

    /** A client as {@link #client(Multiaddr...)}, with {@code limits}. */
    Client client(HostLimits limits, Multiaddr... extra) {
        RelayTransport relay = new RelayTransport(clock);
        List<Multiaddr> listen = new ArrayList<>(List.of(LOOPBACK));
        listen.addAll(List.of(extra));
        Host host = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .transport(TcpTransport::new).transport(relay)
                .listen(listen).limits(limits).clock(clock).build();
        relay.bind(host);
        start(host);
        open.add(0, relay);
        return new Client(host, relay);
    }

    private void start(Host host) {
        open.add(0, host);
        try {
            host.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    record Relay(Host host, RelayService service) {
        /** {@code <relay tcp address>/p2p/<relay>/p2p-circuit}: what a client listens on. */
        Multiaddr circuit() {
            return host.listenAddresses().getFirst().withPeerId(host.peerId())
                    .encapsulate(Multiaddr.parse("/p2p-circuit"));
        }
    }

    record Client(Host host, RelayTransport relay) {
        /** The address others dial this client at through {@code relay}. */
        Multiaddr via(Relay relay) {
            return relay.circuit().withPeerId(host.peerId());
        }
    }
}
