package org.parley.chat.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.pb.GroupProtos;
import org.parley.libp2p.core.PeerFaultException;
import org.signal.libsignal.protocol.IdentityKeyPair;

class GroupOpCodecTest {

    private static final IdentityKeyPair ANN = IdentityKeyPair.generate();
    private static final UserId ANN_ID = UserId.of(ANN.getPublicKey());
    private static final UserId BOB = UserId.of(IdentityKeyPair.generate().getPublicKey());
    private static final ConversationId GROUP = new ConversationId(new byte[16]);

    static List<GroupAction> actions() {
        return List.of(new GroupAction.Add(BOB), new GroupAction.Remove(BOB), new GroupAction.Leave(),
                new GroupAction.Rename("név 😀"), new GroupAction.Promote(BOB));
    }

    @Test
    void everyActionRoundTripsAndVerifies() throws Exception {
        SignedGroupOp create = SignedGroupOp.sign(new GroupOp(GROUP, new byte[0], ANN_ID, 5,
                new GroupAction.Create("friends", List.of(BOB))), ANN);
        assertThat(GroupOpCodec.decode(create.encoded()).op()).isEqualTo(create.op());
        assertThat(GroupOpCodec.decode(create.encoded()).signatureVerifies()).isTrue();
        for (GroupAction action : actions()) {
            SignedGroupOp op = SignedGroupOp.sign(new GroupOp(GROUP, create.hash(), ANN_ID, 6, action), ANN);
            SignedGroupOp decoded = GroupOpCodec.decode(op.encoded());
            assertThat(decoded).isEqualTo(op);
            assertThat(decoded.op()).isEqualTo(op.op());
            assertThat(decoded.hash()).isEqualTo(op.hash());
            assertThat(decoded.signatureVerifies()).isTrue();
        }
    }

    @Test
    void aChangedByteBreaksTheSignature() throws Exception {
        SignedGroupOp op = SignedGroupOp.sign(new GroupOp(GROUP, new byte[32], ANN_ID, 6,
                new GroupAction.Rename("abc")), ANN);
        byte[] tampered = op.encoded();
        int at = new String(tampered, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("abc");
        tampered[at] = 'x';
        SignedGroupOp decoded = GroupOpCodec.decode(tampered);
        assertThat(decoded.op().action()).isEqualTo(new GroupAction.Rename("xbc"));
        assertThat(decoded.signatureVerifies()).isFalse();
    }

    private static GroupProtos.GroupOp.Builder valid() {
        return GroupProtos.GroupOp.newBuilder().setGroup(ByteString.copyFrom(new byte[16]))
                .setPrevious(ByteString.copyFrom(new byte[32])).setAuthor(ByteString.copyFrom(ANN_ID.serializedKey()))
                .setRename(GroupProtos.Rename.newBuilder().setName("n"));
    }

    private static void rejects(GroupProtos.GroupOp.Builder op, String message) {
        byte[] bytes = GroupProtos.SignedGroupOp.newBuilder().setOp(op.build().toByteString())
                .setSignature(ByteString.copyFrom(new byte[64])).build().toByteArray();
        assertThatThrownBy(() -> GroupOpCodec.decode(bytes)).isInstanceOf(PeerFaultException.class).hasMessage(message);
    }

    @Test
    void rejectsBadFieldsWithExactMessages() {
        rejects(valid().setGroup(ByteString.copyFrom(new byte[15])), "group id of 15 bytes; expected 16");
        rejects(valid().clearPrevious(), "group operation previous hash of 0 bytes; expected 32");
        rejects(valid().clearRename().setCreate(GroupProtos.Create.newBuilder().setName("n")),
                "group operation previous hash of 32 bytes; expected none for a create");
        rejects(valid().setAuthor(ByteString.copyFrom(new byte[32])),
                "group operation author identity key of 32 bytes; expected 33");
        rejects(valid().clearRename(),
                "group operation without an action; expected create, add, remove, leave, rename or promote");
        rejects(valid().setRename(GroupProtos.Rename.newBuilder().setName("n".repeat(65))),
                "group name of 65 characters; expected 1 to 64");
        rejects(valid().setRename(GroupProtos.Rename.newBuilder().setName(" ")),
                "group name of 0 characters; expected 1 to 64");
        rejects(valid().setIssuedMs(1L << 48), "group operation time 281474976710656 ms exceeds the limit of 281474976710655");
        GroupProtos.Create.Builder twice = GroupProtos.Create.newBuilder().setName("n")
                .addMembers(ByteString.copyFrom(BOB.serializedKey())).addMembers(ByteString.copyFrom(BOB.serializedKey()));
        rejects(valid().clearPrevious().clearRename().setCreate(twice), "group create names member " + BOB + " twice");
        byte[] noSignature = GroupProtos.SignedGroupOp.newBuilder().setOp(valid().build().toByteString()).build()
                .toByteArray();
        assertThatThrownBy(() -> GroupOpCodec.decode(noSignature))
                .hasMessage("group operation signature of 0 bytes; expected 64");
        assertThatThrownBy(() -> GroupOpCodec.decode(new byte[24 * 1024 + 1]))
                .hasMessage("group operation of 24577 bytes exceeds the 24576-byte limit");
    }

    @Test
    void recordsRefuseWhatTheCodecCouldNotWrite() {
        assertThatThrownBy(() -> new GroupAction.Rename("")).hasMessage("a group name has 1 to 64 characters, not 0");
        assertThatThrownBy(() -> new GroupAction.Create("g", List.of(BOB, BOB)))
                .hasMessage("a group's members are named once each");
        assertThatThrownBy(() -> new GroupOp(GROUP, new byte[0], ANN_ID, 1, new GroupAction.Leave()))
                .hasMessage("an operation names the 32-byte hash of the one before, not 0 bytes");
        assertThatThrownBy(() -> SignedGroupOp.sign(new GroupOp(GROUP, new byte[32], BOB, 1, new GroupAction.Leave()), ANN))
                .hasMessage("an operation is signed by its own author's key");
    }
}
