package org.parley.dht.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.dht.testing.TestPeers;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.util.UnreadableStateFileException;

class RoutingTableFileTest {

    @TempDir
    Path dir;

    private final TestPeers peers = new TestPeers(3);

    @Test
    void savedPeersComeBackWithTheirAddresses() throws IOException {
        PeerRef a = peers.peer();
        PeerRef b = new PeerRef(peers.id(), List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/4001"),
                Multiaddr.parse("/ip6/::1/udp/4001/quic-v1")));
        PeerRef c = new PeerRef(peers.id(), List.of());
        Path file = dir.resolve(RoutingTableFile.FILE_NAME);
        RoutingTableFile.save(file, List.of(a, b, c));
        assertThat(RoutingTableFile.load(file)).containsExactly(a, b, c);
        assertThat(dir.resolve(RoutingTableFile.FILE_NAME + ".tmp")).doesNotExist();
    }

    @Test
    void aMissingFileIsAnEmptyTable() throws IOException {
        assertThat(RoutingTableFile.load(dir.resolve("absent"))).isEmpty();
    }

    @Test
    void refusesAFileThatIsNotARoutingTable() throws IOException {
        Path file = dir.resolve("other");
        Files.write(file, new byte[] {3, 'a', 'b', 'c'});
        assertThatThrownBy(() -> RoutingTableFile.load(file))
                .isInstanceOf(UnreadableStateFileException.class)
                .hasMessage(file + " cannot be read: it has no parley-dht-routing-table/1 header");
        assertThat(file).hasBinaryContent(new byte[] {3, 'a', 'b', 'c'});
    }

    @Test
    void refusesAnEmptyFile() throws IOException {
        Path file = dir.resolve(RoutingTableFile.FILE_NAME);
        Files.write(file, new byte[0]);
        assertThatThrownBy(() -> RoutingTableFile.load(file))
                .isInstanceOf(UnreadableStateFileException.class)
                .hasMessageEndingWith("it is empty");
    }

    @Test
    void refusesGarbageWhoseLengthPrefixIsHuge() throws IOException {
        Path file = dir.resolve(RoutingTableFile.FILE_NAME);
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2, 3});
        assertThatThrownBy(() -> RoutingTableFile.load(file))
                .isInstanceOf(UnreadableStateFileException.class)
                .hasMessageEndingWith("it has no parley-dht-routing-table/1 header");
    }

    @Test
    void namesANewerFormatAsSuch() throws IOException {
        Path file = dir.resolve(RoutingTableFile.FILE_NAME);
        Files.write(file, LengthPrefixed.frame("parley-dht-routing-table/12".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> RoutingTableFile.load(file))
                .isInstanceOf(UnreadableStateFileException.class)
                .hasMessageEndingWith("it has format parley-dht-routing-table/12, probably from a newer Parley;"
                        + " this one reads parley-dht-routing-table/1");
    }

    @Test
    void aTruncatedFileKeepsTheEntriesBeforeTheDamage() throws IOException {
        PeerRef a = peers.peer();
        PeerRef b = peers.peer();
        Path file = dir.resolve(RoutingTableFile.FILE_NAME);
        RoutingTableFile.save(file, List.of(a, b));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
        assertThat(RoutingTableFile.load(file)).containsExactly(a);
    }
}
