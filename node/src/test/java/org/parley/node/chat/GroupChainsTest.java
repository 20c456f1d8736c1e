package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.group.GroupAction;
import org.parley.chat.group.GroupOp;
import org.parley.chat.group.SignedGroupOp;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.NodeStorage;
import org.parley.node.storage.PassphraseSource;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * The groups a link grant carries, on a real database: a chain that replays is kept with its
 * membership and read back as linking hands it on; a chain with a flipped byte, one of another
 * group than it is granted as, one that never names this identity, and an unknown membership are
 * each refused by name and keep nothing.
 */
class GroupChainsTest {

    @TempDir
    Path dir;

    private final IdentityKeyPair aliceKeys = IdentityKeyPair.generate();
    private final IdentityKeyPair bobKeys = IdentityKeyPair.generate();
    private final UserId alice = UserId.of(aliceKeys.getPublicKey());
    private final UserId bob = UserId.of(bobKeys.getPublicKey());

    private NodeStorage open() throws Exception {
        return NodeStorage.open(dir.resolve("storage.key"), dir.resolve("parley.db"), PassphraseSource.of(null));
    }

    private static SignedGroupOp create(ConversationId group, IdentityKeyPair admin, List<UserId> members) {
        return SignedGroupOp.sign(new GroupOp(group, new byte[0], UserId.of(admin.getPublicKey()), 1_000L,
                new GroupAction.Create("team", members)), admin);
    }

    @Test
    void aChainThatReplaysIsKeptAndOneThatDoesNotIsRefused() throws Exception {
        ConversationId group = ConversationId.random();
        byte[] op = create(group, bobKeys, List.of(alice)).encoded();
        try (NodeStorage storage = open()) {
            LocalIdentity identity = new LocalIdentities(storage.database(), storage.cipher())
                    .create(aliceKeys, 2, Optional.empty(), Instant.EPOCH);
            GroupChains chains = new GroupChains(storage.database(), storage.cipher());

            byte[] flipped = op.clone();
            flipped[flipped.length - 1] ^= 1;
            assertThatThrownBy(() -> chains.adopt(identity.rowId(), identity.userId(),
                    new GroupChains.Chain(group, "joined", List.of(flipped))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group");
            assertThatThrownBy(() -> chains.adopt(identity.rowId(), identity.userId(),
                    new GroupChains.Chain(ConversationId.random(), "joined", List.of(op))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another group");
            byte[] withoutAlice = create(group, bobKeys, List.of(UserId.of(IdentityKeyPair.generate()
                    .getPublicKey()))).encoded();
            assertThatThrownBy(() -> chains.adopt(identity.rowId(), identity.userId(),
                    new GroupChains.Chain(group, "joined", List.of(withoutAlice))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not include");
            assertThatThrownBy(() -> chains.adopt(identity.rowId(), identity.userId(),
                    new GroupChains.Chain(group, "maybe", List.of(op))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("membership");
            assertThat(chains.of(identity.rowId())).isEmpty();

            chains.adopt(identity.rowId(), identity.userId(), new GroupChains.Chain(group, "invited", List.of(op)));

            List<GroupChains.Chain> kept = chains.of(identity.rowId());
            assertThat(kept).hasSize(1);
            assertThat(kept.getFirst().group()).isEqualTo(group);
            assertThat(kept.getFirst().membership()).isEqualTo("invited");
            assertThat(kept.getFirst().ops()).containsExactly(op);
        }
    }
}
