package org.parley.chat.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.parley.chat.wire.pb.PrekeyProtos;
import org.parley.libp2p.core.PeerFaultException;

class PrekeyCodecTest {

    @Test
    void requestsAndAnswersRoundTripOnAStream() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrekeyCodec.writeRequest(out, new PrekeyRequest(WireFixtures.ALICE));
        PrekeyCodec.writeAnswer(out, new PrekeyAnswer.Bundle(WireFixtures.bundle(true)));
        PrekeyCodec.writeAnswer(out, new PrekeyAnswer.Bundle(WireFixtures.bundle(false)));
        PrekeyCodec.writeAnswer(out, new PrekeyAnswer.UnknownIdentity());
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertThat(PrekeyCodec.readRequest(in)).isEqualTo(new PrekeyRequest(WireFixtures.ALICE));
        assertThat(PrekeyCodec.readAnswer(in)).isEqualTo(new PrekeyAnswer.Bundle(WireFixtures.bundle(true)));
        assertThat(PrekeyCodec.readAnswer(in)).isEqualTo(new PrekeyAnswer.Bundle(WireFixtures.bundle(false)));
        assertThat(PrekeyCodec.readAnswer(in)).isEqualTo(new PrekeyAnswer.UnknownIdentity());
        assertThat(PrekeyCodec.readAnswer(in)).isNull();
    }

    @Test
    void aBundleFitsItsLimitWithRoom() {
        assertThat(PrekeyCodec.encodeAnswer(new PrekeyAnswer.Bundle(WireFixtures.bundle(true))).length)
                .isBetween(1800, PrekeyCodec.MAX_ANSWER_BYTES / 2);
    }

    private static PrekeyProtos.PrekeyBundle.Builder valid() throws Exception {
        return PrekeyProtos.PrekeyAnswer.parseFrom(PrekeyCodec.encodeAnswer(
                new PrekeyAnswer.Bundle(WireFixtures.bundle(true)))).getBundle().toBuilder();
    }

    private static void rejects(PrekeyProtos.PrekeyBundle.Builder pb, String message) {
        byte[] bytes = PrekeyProtos.PrekeyAnswer.newBuilder().setBundle(pb).build().toByteArray();
        assertThatThrownBy(() -> PrekeyCodec.decodeAnswer(bytes)).isInstanceOf(PeerFaultException.class).hasMessage(message);
    }

    @Test
    void rejectsBadBundlesWithExactMessages() throws Exception {
        rejects(valid().setIdentityKey(ByteString.EMPTY), "prekey bundle identity key of 0 bytes is not a 33-byte key starting with 0x05");
        rejects(valid().setRegistrationId(0), "invalid prekey bundle: registration id 0 is outside 1..16383");
        rejects(valid().setDeviceId(128), "invalid prekey bundle: device number 128 is outside 1..127");
        rejects(valid().setSignedPrekeyId(0x1000000), "invalid prekey bundle: signed prekey id 16777216 is outside 1..16777215");
        rejects(valid().setSignedPrekey(ByteString.copyFrom(new byte[32])), "invalid prekey bundle: signed prekey of 32 bytes; expected 33");
        rejects(valid().setSignedPrekeySignature(ByteString.EMPTY), "invalid prekey bundle: signed prekey signature of 0 bytes; expected 64");
        rejects(valid().setKyberPrekey(ByteString.copyFrom(new byte[1568])), "invalid prekey bundle: Kyber prekey of 1568 bytes; expected 1569");
        rejects(valid().setKyberPrekeySignature(ByteString.copyFrom(new byte[65])), "invalid prekey bundle: Kyber prekey signature of 65 bytes; expected 64");
        rejects(valid().setKyberPrekeyId(0), "invalid prekey bundle: Kyber prekey id 0 is outside 1..16777215");
        rejects(valid().setOneTimePrekeyId(0), "invalid prekey bundle: one-time prekey id 0 is outside 1..16777215");
        rejects(valid().setOneTimePrekey(ByteString.EMPTY), "invalid prekey bundle: one-time prekey of 0 bytes; expected 33");
        rejects(valid().clearOneTimePrekeyId(), "invalid prekey bundle: a one-time prekey of 33 bytes without an id");
    }

    @Test
    void rejectsBadRequestsAndAnswersWithExactMessages() {
        assertThatThrownBy(() -> PrekeyCodec.decodeRequest(new byte[0]))
                .hasMessage("prekey request identity key of 0 bytes is not a 33-byte key starting with 0x05");
        assertThatThrownBy(() -> PrekeyCodec.decodeRequest(new byte[65]))
                .hasMessage("prekey request of 65 bytes exceeds the 64-byte limit");
        assertThatThrownBy(() -> PrekeyCodec.decodeAnswer(new byte[0]))
                .hasMessage("prekey answer holds neither a bundle nor unknown_identity");
        assertThatThrownBy(() -> PrekeyCodec.decodeAnswer(new byte[4097]))
                .hasMessage("prekey answer of 4097 bytes exceeds the 4096-byte limit");
        assertThatThrownBy(() -> PrekeyCodec.decodeAnswer(new byte[] {0x0a, 0x7f}))
                .isInstanceOf(PeerFaultException.class).hasMessageStartingWith("malformed prekey answer: ");
    }
}
