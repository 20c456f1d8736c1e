package org.parley.node.devices;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multistream.ProtocolNotSupportedException;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The new device's side of {@code /parley/link/1.0.0}: dials the device a code names, names the
 * code, proves it knows the secret, and checks the existing device's proof before it takes the
 * grant. Stateless.
 */
final class LinkInitiator {

    private static final Logger log = LoggerFactory.getLogger(LinkInitiator.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The code's addresses are this device's for the link only: ten minutes is the code's whole life. */
    private static final Duration ADDRESS_TTL = LinkCodes.LIFETIME;

    private LinkInitiator() {}

    /**
     * Links to the device of {@code code}.
     *
     * @throws LinkException with the existing device's refusal, or UNREACHABLE
     */
    static LinkGrant exchange(Host host, LinkCode code) throws LinkException {
        PeerId existing = code.device();
        if (existing.equals(host.peerId())) {
            throw new LinkException(LinkException.Reason.WRONG, "this link code was made by this very device:"
                    + " run the new device with --link, in another data dir");
        }
        host.peerstore().addAddresses(existing, code.addresses(), ADDRESS_TTL);
        Stream stream;
        try {
            connect(host, code);
            stream = host.newStream(existing, LinkResponder.PROTOCOL_ID);
        } catch (ProtocolNotSupportedException e) {
            throw new LinkException(LinkException.Reason.UNREACHABLE, "the device that made this code does not"
                    + " link devices (another Parley version?): update it and make a new code");
        } catch (IOException | RuntimeException e) {
            log.debug("dialing {} to link failed: {}", existing, e.toString());
            throw unreachable();
        }
        try (LinkTimeout timeout = new LinkTimeout(stream)) {
            byte[] id = code.id();
            byte[] nonce = new byte[LinkProof.NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            LinkCodec.write(stream.out(), new LinkMessage.Hello(id, nonce));
            byte[] theirNonce = switch (LinkCodec.read(stream.in())) {
                case LinkMessage.Challenge c -> c.nonce();
                case LinkMessage.Refused r -> throw refused(r.reason());
                default -> throw new PeerFaultException("a link hello is answered by a challenge or a refusal");
            };
            byte[] secret = code.secret();
            LinkCodec.write(stream.out(), new LinkMessage.Proof(
                    LinkProof.ofNewDevice(secret, id, host.peerId(), existing, nonce, theirNonce)));
            stream.closeWrite();
            LinkMessage.Granted granted = switch (LinkCodec.read(stream.in())) {
                case LinkMessage.Granted g -> g;
                case LinkMessage.Refused r -> throw refused(r.reason());
                default -> throw new PeerFaultException("a link proof is answered by a grant or a refusal");
            };
            if (!LinkProof.matches(LinkProof.ofExistingDevice(secret, id, host.peerId(), existing, nonce, theirNonce),
                    granted.mac())) {
                throw new PeerFaultException("the device's own proof does not match the code");
            }
            return granted.grant();
        } catch (PeerFaultException e) {
            stream.reset();
            log.info("link with {} failed: {}", existing, e.getMessage());
            throw new LinkException(LinkException.Reason.UNREACHABLE, "the device that made this code broke the"
                    + " link protocol (" + e.getMessage() + "): make a new code and try again");
        } catch (IOException e) {
            log.debug("link stream with {} failed: {}", existing, e.toString());
            throw unreachable();
        } finally {
            stream.close();
        }
    }

    private static void connect(Host host, LinkCode code) throws IOException {
        IOException last = null;
        for (Multiaddr address : code.addresses()) {
            try {
                host.connect(address.withPeerId(code.device()));
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        if (last != null && host.connections(code.device()).isEmpty()) {
            host.connect(code.device());
        }
    }

    private static LinkException refused(LinkException.Reason reason) {
        return new LinkException(reason, LinkException.explain(reason));
    }

    private static LinkException unreachable() {
        return refused(LinkException.Reason.UNREACHABLE);
    }
}
