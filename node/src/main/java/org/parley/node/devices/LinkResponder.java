package org.parley.node.devices;

import java.security.SecureRandom;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.StreamHandler;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The existing device's side of {@code /parley/link/1.0.0}: finds the code the new device names,
 * challenges it with a nonce, checks its proof, spends the code and sends the grant with its own
 * proof. A wrong, expired or used code gets a refusal naming the reason; a malformed message a
 * reset. Stateless apart from the codes.
 */
final class LinkResponder implements StreamHandler {

    /** The protocol id. */
    static final String PROTOCOL_ID = "/parley/link/1.0.0";

    private static final Logger log = LoggerFactory.getLogger(LinkResponder.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeviceService devices;

    LinkResponder(DeviceService devices) {
        this.devices = devices;
    }

    @Override
    public void handle(Stream stream) throws Exception {
        PeerId newDevice = stream.remotePeer();
        try (LinkTimeout timeout = new LinkTimeout(stream)) {
            if (!(LinkCodec.read(stream.in()) instanceof LinkMessage.Hello hello)) {
                throw new PeerFaultException("a link exchange begins with a hello");
            }
            LinkCodes.Live code;
            try {
                code = devices.codes().find(hello.codeId());
            } catch (LinkException e) {
                log.info("a link attempt from {} refused: {}", newDevice, e.reason());
                refuse(stream, e.reason());
                return;
            }
            byte[] nonce = new byte[LinkProof.NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            LinkCodec.write(stream.out(), new LinkMessage.Challenge(nonce));
            if (!(LinkCodec.read(stream.in()) instanceof LinkMessage.Proof proof)) {
                throw new PeerFaultException("a link hello is followed by a proof");
            }
            PeerId existing = devices.self();
            byte[] expected = LinkProof.ofNewDevice(code.secret(), hello.codeId(), newDevice, existing, hello.nonce(),
                    nonce);
            if (!LinkProof.matches(expected, proof.mac())) {
                devices.codes().failedProof(hello.codeId());
                log.info("a link attempt from {} refused: wrong proof", newDevice);
                refuse(stream, LinkException.Reason.WRONG);
                return;
            }
            if (!devices.codes().spend(hello.codeId())) {
                refuse(stream, LinkException.Reason.USED);
                return;
            }
            LinkGrant grant = devices.grant(code.identityRow(), newDevice);
            byte[] mac = LinkProof.ofExistingDevice(code.secret(), hello.codeId(), newDevice, existing, hello.nonce(),
                    nonce);
            LinkCodec.write(stream.out(), new LinkMessage.Granted(mac, grant));
            stream.closeWrite();
            log.info("linked device {} as number {}", newDevice, grant.deviceNumber());
        } catch (PeerFaultException e) {
            log.info("link stream from {} reset: {}", newDevice, e.getMessage());
            stream.reset();
        }
    }

    private static void refuse(Stream stream, LinkException.Reason reason) throws java.io.IOException {
        LinkCodec.write(stream.out(), new LinkMessage.Refused(reason));
        stream.closeWrite();
    }
}
