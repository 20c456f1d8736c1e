package org.parley.chat.protocol;

import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;

/** Real hosts on loopback TCP (Noise, yamux), closed together. Not thread safe. */
final class ChatHosts implements AutoCloseable {

    private final List<Host> hosts = new ArrayList<>();

    Host host() throws Exception {
        Host host = Libp2p.newHost().identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).build();
        host.start();
        hosts.add(host);
        return host;
    }

    /** Connects {@code from} to {@code to} so {@code to}'s PeerId can be dialed by id. */
    static void connect(Host from, Host to) throws Exception {
        from.connect(to.listenAddresses().getFirst().withPeerId(to.peerId()));
    }

    @Override
    public void close() {
        for (Host h : hosts.reversed()) {
            h.close();
        }
    }
}
