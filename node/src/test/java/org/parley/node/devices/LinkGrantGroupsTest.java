package org.parley.node.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.chat.group.GroupLog;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ConversationId;
import org.parley.libp2p.core.PeerFaultException;

/**
 * The groups section of a link grant: groups travel and read back byte for byte; a grant with
 * more groups than {@link LinkGrant#MAX_GROUPS}, a group without operations or with more than a
 * group's history holds, an operation beyond the group operation limit, a bad id, and operations
 * beyond {@link LinkGrant#MAX_GROUP_OP_BYTES_TOTAL} together are each refused as a peer fault.
 */
class LinkGrantGroupsTest {

    private static final String ID = ConversationId.random().toString();

    private static LinkGrant grant(List<LinkGrant.LinkedGroup> groups) {
        return new LinkGrant(new byte[] {1, 2, 3}, 2, "Alice", new byte[LinkCodec.HISTORY_KEY_BYTES], 1, new byte[8],
                List.of(), groups);
    }

    private static LinkGrant roundTrip(LinkGrant grant) throws PeerFaultException {
        LinkMessage read = LinkCodec.decode(LinkCodec.encode(new LinkMessage.Granted(new byte[LinkProof.BYTES],
                grant)));
        return ((LinkMessage.Granted) read).grant();
    }

    @Test
    void groupsReadBackAsTheyWereGranted() throws Exception {
        byte[] op1 = {9, 8, 7};
        byte[] op2 = new byte[ChatContent.MAX_GROUP_OP_BYTES];
        LinkGrant read = roundTrip(grant(List.of(new LinkGrant.LinkedGroup(ID, "joined", List.of(op1, op2)))));

        assertThat(read.groups()).hasSize(1);
        assertThat(read.groups().getFirst().id()).isEqualTo(ID);
        assertThat(read.groups().getFirst().membership()).isEqualTo("joined");
        assertThat(read.groups().getFirst().ops()).containsExactly(op1, op2);
        assertThat(roundTrip(grant(List.of())).groups()).isEmpty();
    }

    @Test
    void groupsBeyondTheLimitsAreRefused() {
        List<LinkGrant.LinkedGroup> tooMany = Collections.nCopies(LinkGrant.MAX_GROUPS + 1,
                new LinkGrant.LinkedGroup(ID, "joined", List.of(new byte[] {1})));
        assertThatThrownBy(() -> roundTrip(grant(tooMany))).isInstanceOf(PeerFaultException.class)
                .hasMessageContaining("more than " + LinkGrant.MAX_GROUPS + " groups");
        assertThatThrownBy(() -> roundTrip(grant(List.of(new LinkGrant.LinkedGroup(ID, "joined", List.of())))))
                .isInstanceOf(PeerFaultException.class).hasMessageContaining("operations");
        List<byte[]> longChain = Collections.nCopies(GroupLog.MAX_OPS + 1, new byte[] {1});
        assertThatThrownBy(() -> roundTrip(grant(List.of(new LinkGrant.LinkedGroup(ID, "joined", longChain)))))
                .isInstanceOf(PeerFaultException.class).hasMessageContaining("operations");
        byte[] bigOp = new byte[ChatContent.MAX_GROUP_OP_BYTES + 1];
        assertThatThrownBy(() -> roundTrip(grant(List.of(new LinkGrant.LinkedGroup(ID, "joined", List.of(bigOp))))))
                .isInstanceOf(PeerFaultException.class).hasMessageContaining("operation has 1 to");
        assertThatThrownBy(() -> roundTrip(grant(List.of(new LinkGrant.LinkedGroup("abc", "joined",
                List.of(new byte[] {1})))))).isInstanceOf(PeerFaultException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> roundTrip(grant(List.of(new LinkGrant.LinkedGroup(ID, null,
                List.of(new byte[] {1})))))).isInstanceOf(PeerFaultException.class).hasMessageContaining("membership");

        // Each group within its own limits, all of them together beyond the grant's (and the whole
        // message, as base64, still under the grant's size limit, so the groups' check is what refuses it).
        List<byte[]> chain = Collections.nCopies(100, new byte[ChatContent.MAX_GROUP_OP_BYTES]);
        int groups = (int) (LinkGrant.MAX_GROUP_OP_BYTES_TOTAL / (100L * ChatContent.MAX_GROUP_OP_BYTES)) + 1;
        List<LinkGrant.LinkedGroup> heavy = Collections.nCopies(groups, new LinkGrant.LinkedGroup(ID, "joined", chain));
        byte[] encoded = LinkCodec.encode(new LinkMessage.Granted(new byte[LinkProof.BYTES], grant(heavy)));
        assertThat(encoded.length).isLessThan(LinkCodec.MAX_GRANT_BYTES);
        assertThatThrownBy(() -> LinkCodec.decode(encoded)).isInstanceOf(PeerFaultException.class)
                .hasMessageContaining("bytes of operations");
    }
}
