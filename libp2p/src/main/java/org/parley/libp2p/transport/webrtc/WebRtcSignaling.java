package org.parley.libp2p.transport.webrtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two roles of {@code /webrtc-signaling/0.0.1} over a libp2p stream (webrtc/webrtc.md): the
 * initiator sends an SDP offer, the responder answers, both trickle ICE candidates until the peer
 * connection is up, then both close the stream (on failure they reset it). The stream's connection
 * is authenticated, so the certificate fingerprints in the SDPs are the peers' own and DTLS checks
 * them; the WebRTC connection takes the signaling connection's remote identity. One instance runs
 * one exchange on the calling thread plus a virtual thread that writes candidates.
 */
final class WebRtcSignaling {

    /** The protocol id. */
    static final String PROTOCOL = "/webrtc-signaling/0.0.1";

    /**
     * Remote candidates we add. A host has a few per interface and STUN server; 64 is plenty,
     * and a peer sending more is flooding libwebrtc with connectivity checks.
     */
    static final int MAX_REMOTE_CANDIDATES = 64;

    private static final Logger log = LoggerFactory.getLogger(WebRtcSignaling.class);

    private final Duplex stream;
    private final WebRtcConfig config;
    private final long deadlineNanos;
    private final WebRtcSession session = new WebRtcSession();
    private final PeerConnectionEvents events = new PeerConnectionEvents(session);
    private RTCPeerConnection peerConnection;

    private WebRtcSignaling(Duplex stream, WebRtcConfig config, Duration timeout) {
        this.stream = stream;
        this.config = config;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    /** Who the remote of the signaling stream is and where: what the WebRTC connection inherits. */
    record Remote(PeerId peer, PublicKey key, Multiaddr localAddress, Multiaddr remoteAddress) {}

    /**
     * Runs the initiator's side and returns the connection once it is up.
     *
     * @throws PeerFaultException if the peer breaks the protocol
     * @throws SocketTimeoutException if the connection is not up within {@code timeout}
     * @throws IOException if the stream or the peer connection fails
     */
    static WebRtcConnection initiate(Duplex stream, Remote remote, WebRtcConfig config, Duration timeout)
            throws IOException {
        return new WebRtcSignaling(stream, config, timeout).run(true, remote);
    }

    /** Runs the responder's side; as {@link #initiate}. */
    static WebRtcConnection respond(Duplex stream, Remote remote, WebRtcConfig config, Duration timeout)
            throws IOException {
        return new WebRtcSignaling(stream, config, timeout).run(false, remote);
    }

    private WebRtcConnection run(boolean initiator, Remote remote) throws IOException {
        PeerConnectionFactory factory = WebRtcSupport.factory();
        peerConnection = factory.createPeerConnection(config.toNative(), events);
        session.attach(peerConnection);
        Thread candidateWriter = null;
        try {
            RTCDataChannel init = null;
            if (initiator) {
                init = peerConnection.createDataChannel(WebRtcSession.INIT_CHANNEL_LABEL, new RTCDataChannelInit());
                RTCSessionDescription offer = await(createOffer(), "creating the offer");
                await(setLocal(offer), "applying our offer");
                send(new SignalingMessage(SignalingMessage.Type.SDP_OFFER, offer.sdp));
                SignalingMessage answer = receive(SignalingMessage.Type.SDP_ANSWER);
                await(setRemote(new RTCSessionDescription(RTCSdpType.ANSWER, requireFingerprint(answer.data()))),
                        "applying the peer's answer");
            } else {
                SignalingMessage offer = receive(SignalingMessage.Type.SDP_OFFER);
                await(setRemote(new RTCSessionDescription(RTCSdpType.OFFER, requireFingerprint(offer.data()))),
                        "applying the peer's offer");
                RTCSessionDescription answer = await(createAnswer(), "creating the answer");
                await(setLocal(answer), "applying our answer");
                send(new SignalingMessage(SignalingMessage.Type.SDP_ANSWER, answer.sdp));
            }
            candidateWriter = Thread.ofVirtual().name("webrtc-signaling-candidates").start(this::writeCandidates);
            readCandidatesUntilConnected();
            if (init != null) {
                init.close();
            }
            candidateWriter.interrupt();
            stream.close();
            Multiaddr remoteAddress = remote.remoteAddress().withoutPeerId().encapsulate(Multiaddr.parse("/webrtc"));
            return new WebRtcConnection(session, remote.peer(), remote.key(), Multiaddr.parse("/webrtc"),
                    remoteAddress);
        } catch (IOException | RuntimeException e) {
            if (candidateWriter != null) {
                candidateWriter.interrupt();
            }
            abort();
            throw e;
        }
    }

    /** Adds the peer's candidates as they come until the connection is up; the peer may end the stream first. */
    private void readCandidatesUntilConnected() throws IOException {
        CompletableFuture<Void> connected = events.connected();
        Thread reader = Thread.ofVirtual().name("webrtc-signaling-reader").start(() -> {
            try {
                int candidates = 0;
                while (!connected.isDone()) {
                    SignalingMessage message = SignalingCodec.read(stream.in());
                    if (message == null) {
                        return;
                    }
                    if (message.type() != SignalingMessage.Type.ICE_CANDIDATE) {
                        throw new PeerFaultException("expected an ICE candidate in signaling, got " + message.type());
                    }
                    if (++candidates > MAX_REMOTE_CANDIDATES) {
                        throw new PeerFaultException("the peer sent more than " + MAX_REMOTE_CANDIDATES + " ICE candidates");
                    }
                    RTCIceCandidate candidate = IceCandidateJson.decode(message.data());
                    if (candidate != null && IceCandidates.acceptRemote(candidate, config.loopbackOnly())) {
                        log.debug("remote ICE candidate: {}", candidate.sdp);
                        peerConnection.addIceCandidate(candidate);
                    }
                }
            } catch (IOException e) {
                if (!connected.isDone()) {
                    connected.completeExceptionally(e);
                }
            }
        });
        try {
            awaitConnected(connected);
        } finally {
            reader.interrupt();
        }
    }

    private void awaitConnected(CompletableFuture<Void> connected) throws IOException {
        try {
            connected.get(remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timeout("ICE found no path to the peer");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new ConnectionClosedException("the WebRTC connection failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosedException("interrupted while connecting over WebRTC");
        }
    }

    private void writeCandidates() {
        try {
            while (!events.connected().isDone()) {
                Optional<RTCIceCandidate> next = events.localCandidates().poll(remainingNanos(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    return;
                }
                if (next.isEmpty()) {
                    send(new SignalingMessage(SignalingMessage.Type.ICE_CANDIDATE, IceCandidateJson.END_OF_CANDIDATES));
                    return;
                }
                RTCIceCandidate candidate = IceCandidates.toSignal(next.get(), config.loopbackOnly());
                if (candidate != null) {
                    send(new SignalingMessage(SignalingMessage.Type.ICE_CANDIDATE, IceCandidateJson.encode(candidate)));
                }
            }
        } catch (InterruptedException e) {
            // Connected or failed: no more candidates are needed.
        } catch (IOException e) {
            log.debug("signaling: a candidate was not sent: {}", e.getMessage());
        }
    }

    private synchronized void send(SignalingMessage message) throws IOException {
        SignalingCodec.write(stream.out(), message);
    }

    private SignalingMessage receive(SignalingMessage.Type expected) throws IOException {
        SignalingMessage message = SignalingCodec.read(stream.in());
        if (message == null) {
            throw new ConnectionClosedException("the peer closed the signaling stream before its " + expected);
        }
        if (message.type() != expected) {
            throw new PeerFaultException("expected " + expected + " in signaling, got " + message.type());
        }
        return message;
    }

    /**
     * The SDP, if it names a DTLS certificate fingerprint: without one nothing would tie the
     * WebRTC connection to the peer the signaling stream authenticated.
     */
    static String requireFingerprint(String sdp) throws PeerFaultException {
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("a=fingerprint:") && line.length() > "a=fingerprint:".length()) {
                return sdp;
            }
        }
        throw new PeerFaultException("the peer's SDP names no DTLS certificate fingerprint");
    }

    private void abort() {
        if (stream instanceof MuxedStream muxed) {
            muxed.reset();
        } else {
            stream.close();
        }
        session.close();
    }

    private long remainingNanos() {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }

    private SocketTimeoutException timeout(String what) {
        return new SocketTimeoutException("WebRTC connection not up in time: " + what);
    }

    private <T> T await(CompletableFuture<T> step, String what) throws IOException {
        try {
            return step.get(remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timeout(what);
        } catch (ExecutionException e) {
            throw new PeerFaultException("WebRTC failed " + what + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosedException("interrupted while " + what);
        }
    }

    private CompletableFuture<RTCSessionDescription> createOffer() {
        CompletableFuture<RTCSessionDescription> result = new CompletableFuture<>();
        peerConnection.createOffer(new RTCOfferOptions(), described(result));
        return result;
    }

    private CompletableFuture<RTCSessionDescription> createAnswer() {
        CompletableFuture<RTCSessionDescription> result = new CompletableFuture<>();
        peerConnection.createAnswer(new RTCAnswerOptions(), described(result));
        return result;
    }

    private CompletableFuture<Void> setLocal(RTCSessionDescription description) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        peerConnection.setLocalDescription(description, applied(result));
        return result;
    }

    private CompletableFuture<Void> setRemote(RTCSessionDescription description) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        peerConnection.setRemoteDescription(description, applied(result));
        return result;
    }

    private static CreateSessionDescriptionObserver described(CompletableFuture<RTCSessionDescription> result) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                result.complete(description);
            }

            @Override
            public void onFailure(String error) {
                result.completeExceptionally(new IOException(error));
            }
        };
    }

    private static SetSessionDescriptionObserver applied(CompletableFuture<Void> result) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                result.complete(null);
            }

            @Override
            public void onFailure(String error) {
                result.completeExceptionally(new IOException(error));
            }
        };
    }
}
