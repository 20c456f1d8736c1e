package org.parley.chat.group;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.pb.GroupProtos;
import org.parley.libp2p.core.PeerFaultException;

/**
 * Converts {@link SignedGroupOp}s to and from their protobuf: the only class that touches
 * {@code GroupProtos}. Decoding checks every length and limit but not the signature or the chain;
 * {@link GroupLog} does those. Stateless, thread safe.
 *
 * <pre>
 *   SignedGroupOp = op(1, bytes: an encoded GroupOp) signature(2, 64 bytes)
 *   GroupOp       = group(1, 16 bytes) previous(2, 0 or 32 bytes) author(3, 33 bytes) issued_ms(4)
 *                   oneof action { create(10) add(11) remove(12) leave(13) rename(14) promote(15) }
 *   Create        = name(1) members(2, repeated 33-byte identity keys)
 *   Member        = member(1, 33 bytes)      Rename = name(1)      Leave = (empty)
 * </pre>
 *
 * An empty Leave message is still present on the wire (proto3 writes a set sub-message), so a
 * missing action is never read as a leave.
 */
public final class GroupOpCodec {

    /** An XEdDSA signature is 64 bytes. */
    public static final int SIGNATURE_BYTES = 64;

    private static final int KEY_BYTES = UserId.KEY_BYTES + 1;

    private GroupOpCodec() {}

    static byte[] encodeOp(GroupOp op) {
        GroupProtos.GroupOp.Builder pb = GroupProtos.GroupOp.newBuilder()
                .setGroup(ByteString.copyFrom(op.group().bytes()))
                .setPrevious(ByteString.copyFrom(op.previous()))
                .setAuthor(ByteString.copyFrom(op.author().serializedKey()))
                .setIssuedMs(op.issuedMillis());
        switch (op.action()) {
            case GroupAction.Create c -> {
                GroupProtos.Create.Builder create = GroupProtos.Create.newBuilder().setName(c.name());
                c.members().forEach(m -> create.addMembers(ByteString.copyFrom(m.serializedKey())));
                pb.setCreate(create);
            }
            case GroupAction.Add a -> pb.setAdd(member(a.member()));
            case GroupAction.Remove r -> pb.setRemove(member(r.member()));
            case GroupAction.Leave l -> pb.setLeave(GroupProtos.Leave.getDefaultInstance());
            case GroupAction.Rename r -> pb.setRename(GroupProtos.Rename.newBuilder().setName(r.name()));
            case GroupAction.Promote p -> pb.setPromote(member(p.member()));
        }
        byte[] bytes = pb.build().toByteArray();
        if (bytes.length + SIGNATURE_BYTES + 8 > ChatContent.MAX_GROUP_OP_BYTES) {
            throw new IllegalArgumentException("a group operation of " + bytes.length + " bytes exceeds the "
                    + ChatContent.MAX_GROUP_OP_BYTES + "-byte limit");
        }
        return bytes;
    }

    static byte[] encodeSigned(byte[] opBytes, byte[] signature) {
        return GroupProtos.SignedGroupOp.newBuilder().setOp(ByteString.copyFrom(opBytes))
                .setSignature(ByteString.copyFrom(signature)).build().toByteArray();
    }

    private static GroupProtos.Member member(UserId user) {
        return GroupProtos.Member.newBuilder().setMember(ByteString.copyFrom(user.serializedKey())).build();
    }

    /**
     * Reads one signed operation (signature not yet checked).
     *
     * @throws PeerFaultException naming the first thing wrong: size, protobuf, a length, a limit,
     *     a missing action
     */
    public static SignedGroupOp decode(byte[] encoded) throws PeerFaultException {
        if (encoded.length > ChatContent.MAX_GROUP_OP_BYTES) {
            throw new PeerFaultException("group operation of " + encoded.length + " bytes exceeds the "
                    + ChatContent.MAX_GROUP_OP_BYTES + "-byte limit");
        }
        GroupProtos.SignedGroupOp signed;
        GroupProtos.GroupOp pb;
        try {
            signed = GroupProtos.SignedGroupOp.parseFrom(encoded);
            pb = GroupProtos.GroupOp.parseFrom(signed.getOp());
        } catch (InvalidProtocolBufferException e) {
            throw new PeerFaultException("malformed group operation: " + e.getMessage(), e);
        }
        byte[] signature = exactly(signed.getSignature(), SIGNATURE_BYTES, "group operation signature");
        ConversationId group = new ConversationId(exactly(pb.getGroup(), ConversationId.BYTES, "group id"));
        int previousLength = pb.getPrevious().size();
        boolean create = pb.getActionCase() == GroupProtos.GroupOp.ActionCase.CREATE;
        if (previousLength != (create ? 0 : GroupOp.HASH_BYTES)) {
            throw new PeerFaultException("group operation previous hash of " + previousLength + " bytes; expected "
                    + (create ? "none for a create" : GroupOp.HASH_BYTES));
        }
        UserId author = user(pb.getAuthor(), "group operation author");
        long issued = pb.getIssuedMs();
        if (issued < 0 || issued > HlcTimestamp.MAX_PHYSICAL_MILLIS) {
            throw new PeerFaultException("group operation time " + Long.toUnsignedString(issued)
                    + " ms exceeds the limit of " + HlcTimestamp.MAX_PHYSICAL_MILLIS);
        }
        GroupAction action = switch (pb.getActionCase()) {
            case CREATE -> create(pb.getCreate());
            case ADD -> new GroupAction.Add(user(pb.getAdd().getMember(), "added member"));
            case REMOVE -> new GroupAction.Remove(user(pb.getRemove().getMember(), "removed member"));
            case LEAVE -> new GroupAction.Leave();
            case RENAME -> new GroupAction.Rename(name(pb.getRename().getName()));
            case PROMOTE -> new GroupAction.Promote(user(pb.getPromote().getMember(), "promoted member"));
            case ACTION_NOT_SET -> throw new PeerFaultException(
                    "group operation without an action; expected create, add, remove, leave, rename or promote");
        };
        GroupOp op = new GroupOp(group, pb.getPrevious().toByteArray(), author, issued, action);
        return new SignedGroupOp(op, signed.getOp().toByteArray(), signature, encoded);
    }

    private static GroupAction create(GroupProtos.Create pb) throws PeerFaultException {
        String name = name(pb.getName());
        int count = pb.getMembersCount();
        if (count > GroupAction.MAX_MEMBERS - 1) {
            throw new PeerFaultException("group create names " + count + " members; expected at most "
                    + (GroupAction.MAX_MEMBERS - 1) + " besides the creator");
        }
        List<UserId> members = new ArrayList<>(count);
        for (ByteString raw : pb.getMembersList()) {
            UserId member = user(raw, "group member");
            if (members.contains(member)) {
                throw new PeerFaultException("group create names member " + member + " twice");
            }
            members.add(member);
        }
        return new GroupAction.Create(name, members);
    }

    private static String name(String name) throws PeerFaultException {
        int length = name.codePointCount(0, name.length());
        if (name.isBlank() || length > GroupAction.MAX_NAME_LENGTH) {
            throw new PeerFaultException("group name of " + (name.isBlank() ? 0 : length) + " characters; expected 1 to "
                    + GroupAction.MAX_NAME_LENGTH);
        }
        return name;
    }

    private static UserId user(ByteString raw, String what) throws PeerFaultException {
        byte[] key = exactly(raw, KEY_BYTES, what + " identity key");
        if (key[0] != UserId.KEY_TYPE_DJB) {
            throw new PeerFaultException(what + " identity key has type byte " + (key[0] & 0xFF) + "; expected "
                    + UserId.KEY_TYPE_DJB);
        }
        return UserId.fromSerializedKey(key);
    }

    private static byte[] exactly(ByteString value, int expected, String what) throws PeerFaultException {
        if (value.size() != expected) {
            throw new PeerFaultException(what + " of " + value.size() + " bytes; expected " + expected);
        }
        return value.toByteArray();
    }
}
