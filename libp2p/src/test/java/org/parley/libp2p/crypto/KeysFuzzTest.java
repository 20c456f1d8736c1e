package org.parley.libp2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import org.parley.libp2p.crypto.pb.KeysProtos;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for the key protobufs: a key that unmarshals marshals back to an equal key, derives
 * a PeerId and verifies (or rejects) any signature without throwing; bad bytes fail only with
 * {@link InvalidKeyException}. See {@link FuzzChecks}.
 */
class KeysFuzzTest {

    @FuzzTest
    void unmarshalPublic(byte[] input) throws InvalidKeyException {
        checkPublic(input, new byte[] {1, 2, 3}, new byte[64]);
    }

    /** Steers each key type's own decoder (DER for RSA and ECDSA, a point for secp256k1). */
    @FuzzTest
    void unmarshalPublicOfEachType(FuzzedDataProvider data) throws InvalidKeyException {
        KeysProtos.KeyType type = data.pickValue(KeysProtos.KeyType.values());
        byte[] signature = data.consumeBytes(data.consumeInt(0, 600));
        byte[] message = data.consumeBytes(data.consumeInt(0, 64));
        byte[] keyData = data.consumeRemainingAsBytes();
        byte[] marshalled = KeysProtos.PublicKey.newBuilder()
                .setType(type)
                .setData(ByteString.copyFrom(keyData))
                .build()
                .toByteArray();
        checkPublic(marshalled, message, signature);
    }

    @FuzzTest
    void unmarshalPrivate(byte[] input) throws InvalidKeyException {
        PrivateKey key;
        try {
            key = Keys.unmarshalPrivate(input);
        } catch (InvalidKeyException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(Keys.unmarshalPrivate(key.marshal())).isEqualTo(key);
        byte[] message = {'f', 'u', 'z', 'z'};
        assertThat(key.publicKey().verify(message, key.sign(message))).isTrue();
    }

    private static void checkPublic(byte[] marshalled, byte[] message, byte[] signature) throws InvalidKeyException {
        PublicKey key;
        try {
            key = Keys.unmarshalPublic(marshalled);
        } catch (InvalidKeyException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(Keys.unmarshalPublic(key.marshal())).isEqualTo(key);
        assertThat(PeerId.fromPublicKey(key).matches(key)).isTrue();
        key.verify(message, signature);
        key.toString();
    }
}
