package org.parley.libp2p.transport.memory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.Transport;
import org.parley.libp2p.core.TransportListener;
import org.parley.libp2p.core.UnsupportedAddressException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiaddr.Multiaddr.Component;
import org.parley.libp2p.multiaddr.Protocol;

/**
 * The in-memory {@link Transport}: dials and listens on {@code /memory/<name>} addresses of one
 * {@link MemoryNetwork}. Its connections are raw byte pipes that the host upgrades exactly as it
 * upgrades TCP, so hosts on it run the whole stack (multistream-select, Noise, yamux, identify).
 * Thread safe.
 */
public final class MemoryTransport implements Transport {

    /** What {@link #name()} returns. */
    public static final String NAME = "memory";

    private final MemoryNetwork network;

    MemoryTransport(MemoryNetwork network) {
        this.network = network;
    }

    /** {@code /memory/<name>}. */
    public static Multiaddr address(String name) {
        return Multiaddr.parse("/" + Protocol.MEMORY.protocolName() + "/" + name);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** True for {@code /memory/<name>}, optionally ending in {@code /p2p/}. */
    @Override
    public boolean canDial(Multiaddr address) {
        return name(address.withoutPeerId()) != null;
    }

    /** True for {@code /memory/<name>} without {@code /p2p/}. */
    @Override
    public boolean canListen(Multiaddr address) {
        return name(address) != null;
    }

    /** False: the host secures and multiplexes memory connections as it does TCP ones. */
    @Override
    public boolean securedAndMuxed() {
        return false;
    }

    /** Connects at once or fails at once, so {@code timeout} is never reached. */
    @Override
    public RawConnection dial(Multiaddr address, Duration timeout) throws IOException {
        String name = name(address.withoutPeerId());
        if (name == null) {
            throw new UnsupportedAddressException("the memory transport cannot dial " + address
                    + "; expected /memory/<name>[/p2p/<id>]", List.of(address));
        }
        return network.dial(name);
    }

    @Override
    public TransportListener listen(Multiaddr address, Consumer<RawConnection> acceptor) throws IOException {
        String name = name(address);
        if (name == null) {
            throw new UnsupportedAddressException("the memory transport cannot listen on " + address
                    + "; expected /memory/<name>", List.of(address));
        }
        return network.listen(name, acceptor);
    }

    @Override
    public String toString() {
        return "memory transport";
    }

    private static String name(Multiaddr address) {
        List<Component> components = address.components();
        if (components.size() != 1 || components.getFirst().protocol() != Protocol.MEMORY) {
            return null;
        }
        return components.getFirst().textValue();
    }
}
