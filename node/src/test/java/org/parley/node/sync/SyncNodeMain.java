package org.parley.node.sync;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.DataDir;
import org.parley.node.NodeSettings;
import org.parley.node.ParleyNode;
import org.parley.node.network.NetworkFeature;

/**
 * A node with the sync feature and a test device list, for a child JVM that a test kills with
 * SIGKILL: {@code SyncNodeMain DATA_DIR BOOTSTRAP PEER_ID,PEER_ID,...}. Prints {@code ready} on
 * stdout once it serves, then runs until killed.
 */
public final class SyncNodeMain {

    private SyncNodeMain() {}

    public static void main(String[] args) throws Exception {
        TestSyncSources sources = new TestSyncSources(Arrays.stream(args[2].split(",")).map(PeerId::parse)
                .collect(Collectors.toSet()));
        ParleyNode node = ParleyNode.start(new NodeSettings(new DataDir(Path.of(args[0])),
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of(Multiaddr.parse(args[1])), 0,
                ModePolicy.SERVER), List.of(new NetworkFeature(), new SyncFeature(sources, SyncService.DEFAULT_INTERVAL)),
                InstantSource.system());
        System.out.println("ready");
        System.out.flush();
        node.awaitClosed();
    }
}
