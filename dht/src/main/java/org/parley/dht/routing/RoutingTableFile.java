package org.parley.dht.routing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.parley.dht.rpc.pb.KadProtos;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.util.UnreadableStateFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the routing table's peers in the data directory and reads them back at start, so a
 * restarted node rejoins through the peers it knew instead of only the bootstrap list. Stateless.
 *
 * <pre>
 *   LP("parley-dht-routing-table/1") ‖ LP(kad Peer protobuf) ‖ LP(kad Peer protobuf) ...
 * </pre>
 *
 * The kad {@code Peer} message is reused so that ids and addresses use their wire encodings. The
 * file is rewritten through a temporary file and an atomic move, so a crash leaves the old copy.
 */
public final class RoutingTableFile {

    /** The file's name inside the data directory. */
    public static final String FILE_NAME = "dht-routing-table";
    /** The header's text without its version number, shared by every format version. */
    private static final String HEADER_PREFIX = "parley-dht-routing-table/";
    private static final String HEADER = HEADER_PREFIX + "1";
    private static final byte[] MAGIC = HEADER.getBytes(StandardCharsets.US_ASCII);
    /**
     * A header is the prefix and a version number, under 40 bytes; 256 leaves room for any later
     * version's header while bounding what a garbage length prefix can make us read.
     */
    private static final int MAX_HEADER_BYTES = 256;
    /**
     * 256 buckets of k = 20 is 5120 peers; a file claiming many more is not ours. Entries past
     * this are ignored.
     */
    public static final int MAX_PEERS = 8192;
    /** A Peer with a 38-byte id and a few addresses is ~200 bytes; 64 KiB allows many addresses. */
    private static final int MAX_ENTRY_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RoutingTableFile.class);

    private RoutingTableFile() {}

    /** Writes {@code peers} to {@code file}, replacing it atomically. */
    public static void save(Path file, List<PeerRef> peers) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
            LengthPrefixed.write(out, MAGIC);
            for (PeerRef peer : peers) {
                KadProtos.Message.Peer.Builder pb = KadProtos.Message.Peer.newBuilder()
                        .setId(ByteString.copyFrom(peer.id().bytes()));
                for (Multiaddr addr : peer.addrs()) {
                    pb.addAddrs(ByteString.copyFrom(addr.bytes()));
                }
                LengthPrefixed.write(out, pb.build().toByteArray());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads the peers saved in {@code file}; an absent file gives an empty list. Entries with a bad
     * id are skipped, bad addresses dropped, and a truncated tail ignored: a damaged file costs
     * only the damaged entries.
     *
     * @throws UnreadableStateFileException if the file is not a routing-table file of this version
     *     (empty, another header, or a newer format); it is left untouched for the caller to set
     *     aside with {@link org.parley.libp2p.util.StateFiles#moveAside}
     * @throws IOException if the file cannot be read
     */
    public static List<PeerRef> load(Path file) throws IOException {
        List<PeerRef> peers = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            checkHeader(file, in);
            while (peers.size() < MAX_PEERS) {
                byte[] entry = LengthPrefixed.read(in, MAX_ENTRY_BYTES);
                if (entry == null) {
                    break;
                }
                PeerRef peer = decode(entry);
                if (peer != null) {
                    peers.add(peer);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (EOFException | PeerFaultException e) {
            LOG.warn("routing-table file {} is damaged after {} peers: {}", file, peers.size(), e.getMessage());
        }
        return peers;
    }

    /** Reads the header and refuses anything but this version's. */
    private static void checkHeader(Path file, InputStream in) throws IOException {
        byte[] header;
        try {
            header = LengthPrefixed.read(in, MAX_HEADER_BYTES);
        } catch (EOFException | PeerFaultException e) {
            throw new UnreadableStateFileException(file, "it has no " + HEADER + " header");
        }
        if (header == null) {
            throw new UnreadableStateFileException(file, "it is empty");
        }
        if (Arrays.equals(header, MAGIC)) {
            return;
        }
        String text = new String(header, StandardCharsets.US_ASCII);
        if (text.startsWith(HEADER_PREFIX) && text.length() > HEADER_PREFIX.length()
                && text.substring(HEADER_PREFIX.length()).chars().allMatch(Character::isDigit)) {
            throw new UnreadableStateFileException(file, "it has format " + text + ", probably from a newer"
                    + " Parley; this one reads " + HEADER);
        }
        throw new UnreadableStateFileException(file, "it has no " + HEADER + " header");
    }

    private static PeerRef decode(byte[] entry) {
        try {
            KadProtos.Message.Peer pb = KadProtos.Message.Peer.parseFrom(entry);
            PeerId id = PeerId.fromBytes(pb.getId().toByteArray());
            List<Multiaddr> addrs = new ArrayList<>();
            for (ByteString raw : pb.getAddrsList()) {
                try {
                    addrs.add(Multiaddr.fromBytes(raw.toByteArray()));
                } catch (PeerFaultException e) {
                    LOG.debug("dropping a bad saved address of {}: {}", id, e.getMessage());
                }
            }
            return new PeerRef(id, addrs);
        } catch (InvalidProtocolBufferException | PeerFaultException e) {
            LOG.debug("skipping a bad saved routing-table entry: {}", e.getMessage());
            return null;
        }
    }
}
