package org.parley.libp2p.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.transport.tcp.TcpTransport;

/**
 * When the native library cannot load, WebRTC reports one reason and a host with the WebRTC
 * transport runs on TCP alone.
 */
class WebRtcSupportTest {

    @Test
    void aMissingLibpulseSaysWhatToInstall() {
        WebRtcSupport.Status status = WebRtcSupport.probe(() -> {
            throw new UnsatisfiedLinkError("/tmp/libwebrtc-java.so: libpulse.so.0: cannot open shared object file");
        }).status();

        assertThat(status.available()).isFalse();
        assertThat(status.describe()).isEqualTo("WebRTC is off: the native WebRTC library needs libpulse.so.0; "
                + "install it (on Debian or Ubuntu: apt-get install libpulse0) and restart");
    }

    @Test
    void anotherPlatformIsNamedInTheReason() {
        WebRtcSupport.Status status = WebRtcSupport.probe(() -> {
            throw new UnsatisfiedLinkError("no webrtc-java in java.library.path");
        }).status();

        assertThat(status.available()).isFalse();
        assertThat(status.reason()).startsWith("the native WebRTC library could not load on ")
                .contains("Parley ships it for linux-amd64 only")
                .contains("no webrtc-java in java.library.path");
    }

    @Test
    void aHostWithoutWebRtcRunsOnTcpAndDialsNoWebRtcAddress() throws Exception {
        WebRtcSupport.Status off = WebRtcSupport.probe(() -> {
            throw new UnsatisfiedLinkError("libpulse.so.0: cannot open shared object file");
        }).status();
        try (Host a = startWith(new WebRtcTransport(WebRtcConfig.defaults(), off));
                Host b = startWith(new WebRtcTransport(WebRtcConfig.defaults(), off))) {
            Connection tcp = a.connect(b.listenAddresses().getFirst().withPeerId(b.peerId()));
            assertThat(a.ping(b.peerId())).isPositive();

            WebRtcTransport transport = new WebRtcTransport(WebRtcConfig.defaults(), off);
            assertThat(transport.canDial(WebRtcTransport.upgradeAddress(tcp))).isFalse();
            assertThat(transport.canListen(WebRtcTransport.LISTEN_ADDRESS)).isTrue();
            assertThat(b.protocols()).doesNotContain(WebRtcTransport.SIGNALING_PROTOCOL);
        }
    }

    private static Host startWith(WebRtcTransport webrtc) throws Exception {
        Host host = Libp2p.newHost()
                .identity(Ed25519PrivateKey.generate())
                .transport(TcpTransport::new)
                .transport(threads -> webrtc)
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), WebRtcTransport.LISTEN_ADDRESS))
                .build();
        webrtc.attach(host);
        host.start();
        return host;
    }
}
