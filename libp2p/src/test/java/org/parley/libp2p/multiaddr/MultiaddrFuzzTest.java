package org.parley.libp2p.multiaddr;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for both multiaddr forms: whatever parses converts to the other form and back
 * unchanged, and every accessor works on it; bad input fails only with the documented exception
 * ({@link PeerFaultException} for bytes, {@link InvalidMultiaddrException} for text). See
 * {@link FuzzChecks}.
 */
class MultiaddrFuzzTest {

    @FuzzTest
    void fromBytes(byte[] input) {
        Multiaddr address;
        try {
            address = Multiaddr.fromBytes(input);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(address.bytes()).isEqualTo(input);
        assertThat(Multiaddr.parse(address.toString())).isEqualTo(address);
        holdsItsInvariants(address);
    }

    @FuzzTest
    void parse(FuzzedDataProvider data) throws PeerFaultException {
        String text = data.consumeRemainingAsString();
        Multiaddr address;
        try {
            address = Multiaddr.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e).isInstanceOf(InvalidMultiaddrException.class);
            FuzzChecks.requireClearMessage(e);
            return;
        }
        Multiaddr canonical = Multiaddr.parse(address.toString());
        assertThat(canonical).isEqualTo(address);
        assertThat(canonical.toString()).isEqualTo(address.toString());
        assertThat(Multiaddr.fromBytes(address.bytes())).isEqualTo(address);
        holdsItsInvariants(address);
    }

    private static void holdsItsInvariants(Multiaddr address) {
        assertThat(address.bytes().length).isLessThanOrEqualTo(Multiaddr.MAX_BYTES);
        for (Multiaddr.Component c : address.components()) {
            assertThat(c.textValue() != null).isEqualTo(c.protocol().hasValue());
        }
        int trailingPeerIds = address.peerId() == null ? 0 : 1;
        Multiaddr bare = address.withoutPeerId();
        assertThat(bare.components()).hasSize(address.components().size() - trailingPeerIds);
        if (trailingPeerIds == 1 && bare.peerId() == null) {
            assertThat(bare.withPeerId(address.peerId())).isEqualTo(address);
        }
        byte[] ip = address.ipBytes();
        if (ip != null) {
            assertThat(ip.length).isIn(4, 16);
        }
        boolean loopback = address.isLoopback();
        boolean local = address.isPrivateOrLocal();
        boolean reachable = address.isPublic();
        assertThat(loopback && !local).as("loopback implies private or local").isFalse();
        assertThat(local && reachable).as("private and public at once").isFalse();
    }
}
