package org.parley.libp2p.transport.webrtc;

import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of the WebRTC transport: the STUN servers ICE asks for our public address (none by
 * default, so nothing is sent anywhere unless configured), whether ICE keeps to loopback (tests),
 * and how long a connection may take to come up. Immutable.
 *
 * @param stunServers URLs of the form {@code stun:HOST:PORT}
 * @param loopbackOnly true to offer and accept only 127.0.0.1 candidates
 * @param connectTimeout how long signaling and ICE may take to bring a connection up, on either side
 * @param autoUpgrade true to try a direct WebRTC connection to each peer this host reaches only
 *     through a relay, as soon as the peer is identified and supports WebRTC signaling
 */
public record WebRtcConfig(List<String> stunServers, boolean loopbackOnly, Duration connectTimeout,
        boolean autoUpgrade) {

    /** How long ICE gets by default: a few STUN round trips and connectivity checks, with margin. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern STUN_URL = Pattern.compile("stun:([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:]+\\])(:\\d{1,5})?");

    public WebRtcConfig {
        stunServers = List.copyOf(stunServers);
        for (String url : stunServers) {
            if (!STUN_URL.matcher(url).matches()) {
                throw new IllegalArgumentException(
                        "a STUN server must look like stun:HOST:PORT (for example stun:stun.example.org:3478), not " + url);
            }
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** Settings with the automatic upgrade of relayed connections on. */
    public WebRtcConfig(List<String> stunServers, boolean loopbackOnly, Duration connectTimeout) {
        this(stunServers, loopbackOnly, connectTimeout, true);
    }

    /** No STUN servers, any local interface, {@link #DEFAULT_CONNECT_TIMEOUT}, relayed peers upgraded. */
    public static WebRtcConfig defaults() {
        return new WebRtcConfig(List.of(), false, DEFAULT_CONNECT_TIMEOUT);
    }

    /** The same settings with these STUN servers. */
    public WebRtcConfig withStunServers(List<String> urls) {
        return new WebRtcConfig(urls, loopbackOnly, connectTimeout, autoUpgrade);
    }

    /** The same settings with ICE kept to 127.0.0.1, for tests and benchmarks on one machine. */
    public WebRtcConfig withLoopbackOnly() {
        return new WebRtcConfig(stunServers, true, connectTimeout, autoUpgrade);
    }

    /** The same settings with another connect timeout. */
    public WebRtcConfig withConnectTimeout(Duration timeout) {
        return new WebRtcConfig(stunServers, loopbackOnly, timeout, autoUpgrade);
    }

    /** The same settings with the automatic upgrade of relayed connections on or off. */
    public WebRtcConfig withAutoUpgrade(boolean on) {
        return new WebRtcConfig(stunServers, loopbackOnly, connectTimeout, on);
    }

    /** The native configuration of one peer connection. */
    RTCConfiguration toNative() {
        RTCConfiguration configuration = new RTCConfiguration();
        List<RTCIceServer> servers = new ArrayList<>();
        for (String url : stunServers) {
            RTCIceServer server = new RTCIceServer();
            server.urls = List.of(url);
            servers.add(server);
        }
        configuration.iceServers = servers;
        PortAllocatorConfig ports = new PortAllocatorConfig();
        // libp2p's WebRTC runs over UDP; ICE-TCP candidates only slow the checks down.
        ports.setDisableTcp(true);
        if (loopbackOnly) {
            // libwebrtc never gathers on the loopback interface. Without adapter enumeration it binds
            // one socket to the wildcard address, which 127.0.0.1 reaches; IceCandidates rewrites the
            // host candidate to that address before it is signaled.
            ports.setDisableAdapterEnumeration(true);
            ports.setEnableAnyAddressPorts(true);
        }
        configuration.portAllocatorConfig = ports;
        return configuration;
    }
}
