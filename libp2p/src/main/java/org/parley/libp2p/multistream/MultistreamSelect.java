package org.parley.libp2p.multistream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * multistream-select 1.0: agrees on the protocol that follows on a raw connection, inside a secure
 * channel and at the start of every muxed stream. Stateless and thread safe; each call owns its
 * {@link Duplex} until it returns.
 *
 * <p>Dialer: {@code → header ‖ proposal₁} (one write) {@code ← header}, then per proposal either the
 * echo (agreed) or {@code na} (next proposal). Listener: {@code ← header}, then per proposal the
 * echo, {@code na} or, for {@code ls}, the list of supported ids. Neither side reads a byte beyond
 * the negotiation, so data that came in the same segment stays in {@link Duplex#in()} for the
 * protocol that follows.
 */
public final class MultistreamSelect {

    /** The header both sides send first. */
    public static final String PROTOCOL_ID = "/multistream/1.0.0";
    /** The listener's answer to a proposal it does not support. */
    public static final String NA = "na";
    /** The optional request for the listener's protocol list. */
    public static final String LS = "ls";

    /**
     * Proposals (and {@code ls} requests) a listener answers before giving up. A dialer proposes
     * each id it knows once (go proposes two security protocols, a kad client a few versions); 32
     * leaves room for long preference lists while bounding a peer that probes forever.
     */
    public static final int MAX_LISTENER_ATTEMPTS = 32;

    private static final Logger log = LoggerFactory.getLogger(MultistreamSelect.class);

    private MultistreamSelect() {}

    /**
     * Negotiates as the dialer: proposes {@code protocols} in order until the listener accepts one.
     *
     * @return the accepted protocol; the next byte on {@code duplex} belongs to it
     * @throws ProtocolNotSupportedException if the listener answered {@code na} to all of them
     * @throws PeerFaultException if the listener sends something other than the header, the echo or {@code na}
     * @throws org.parley.libp2p.core.ConnectionClosedException if the stream ends during negotiation
     * @throws IllegalArgumentException if {@code protocols} is empty or holds an id that cannot be sent
     */
    public static String select(Duplex duplex, List<String> protocols) throws IOException {
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("no protocol to propose");
        }
        for (String protocol : protocols) {
            requireProposable(protocol);
        }
        InputStream in = duplex.in();
        OutputStream out = duplex.out();
        // Header and first proposal in one write, as go, rust and js do: one round trip when accepted.
        out.write(MultistreamCodec.encode(PROTOCOL_ID, protocols.getFirst()));
        out.flush();
        requireHeader(MultistreamCodec.read(in));
        for (int i = 0; i < protocols.size(); i++) {
            String proposal = protocols.get(i);
            if (i > 0) {
                MultistreamCodec.write(out, proposal);
            }
            String answer = MultistreamCodec.read(in);
            if (answer.equals(proposal)) {
                return proposal;
            }
            if (!answer.equals(NA)) {
                throw new PeerFaultException("multistream-select answer to '" + proposal + "' was '"
                        + MultistreamCodec.abbreviate(answer) + "'; expected the same id or 'na'");
            }
        }
        throw new ProtocolNotSupportedException("remote supports none of " + protocols, protocols);
    }

    /**
     * Negotiates as the listener, accepting any id in {@code supported} and answering {@code ls}
     * with that set. {@code supported} may be a live view (a concurrent map's key set).
     *
     * @return the accepted protocol; the next byte on {@code duplex} belongs to it
     * @throws PeerFaultException if the dialer does not start with the header or makes more than
     *     {@link #MAX_LISTENER_ATTEMPTS} proposals without an acceptable one
     * @throws org.parley.libp2p.core.ConnectionClosedException if the stream ends during negotiation
     */
    public static String handle(Duplex duplex, Set<String> supported) throws IOException {
        return negotiate(duplex, supported::contains, supported);
    }

    /**
     * Negotiates as the listener, accepting any id {@code supported} accepts. Such a listener
     * cannot enumerate its protocols, so it answers {@code ls} with {@code na}, as go does.
     *
     * @see #handle(Duplex, Set)
     */
    public static String handle(Duplex duplex, Predicate<String> supported) throws IOException {
        return negotiate(duplex, supported, null);
    }

    private static String negotiate(Duplex duplex, Predicate<String> supported, Collection<String> listing)
            throws IOException {
        InputStream in = duplex.in();
        OutputStream out = duplex.out();
        requireHeader(MultistreamCodec.read(in));
        // Batch our header with the first answer when the proposal is already here (the usual
        // case); otherwise send it now, so a dialer that waits for our header is not stuck.
        boolean headerSent = false;
        if (in.available() == 0) {
            MultistreamCodec.write(out, PROTOCOL_ID);
            headerSent = true;
        }
        String last = null;
        for (int attempt = 0; attempt < MAX_LISTENER_ATTEMPTS; attempt++) {
            String proposal = MultistreamCodec.read(in);
            last = proposal;
            byte[] answer;
            if (proposal.equals(LS) && listing != null) {
                answer = listReply(listing);
            } else if (!proposal.equals(LS) && supported.test(proposal)) {
                try {
                    send(out, headerSent, MultistreamCodec.encode(proposal));
                } catch (IOException e) {
                    // The dialer may have sent its request and closed already (go-multistream #87):
                    // the data it sent is still ours to serve.
                    log.debug("could not echo multistream-select proposal '{}': {}", proposal, e.toString());
                }
                return proposal;
            } else {
                answer = MultistreamCodec.encode(NA);
            }
            send(out, headerSent, answer);
            headerSent = true;
        }
        throw new PeerFaultException("dialer made " + MAX_LISTENER_ATTEMPTS
                + " multistream-select proposals without a supported one; the last was '"
                + MultistreamCodec.abbreviate(last) + "'");
    }

    private static void send(OutputStream out, boolean headerSent, byte[] message) throws IOException {
        if (headerSent) {
            out.write(message);
        } else {
            byte[] header = MultistreamCodec.encode(PROTOCOL_ID);
            byte[] both = new byte[header.length + message.length];
            System.arraycopy(header, 0, both, 0, header.length);
            System.arraycopy(message, 0, both, header.length, message.length);
            out.write(both);
        }
        out.flush();
    }

    /**
     * The {@code ls} reply: one message whose body is each id framed as a message of its own,
     * then a final newline. Ids are sorted, and those that would push the reply past
     * {@link MultistreamCodec#MAX_MESSAGE_BYTES} are left out, since the dialer would reject it.
     */
    static byte[] listReply(Collection<String> protocols) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String protocol : new TreeSet<>(protocols)) {
            byte[] framed = LengthPrefixed.frame((protocol + "\n").getBytes(StandardCharsets.UTF_8));
            if (body.size() + framed.length + 1 > MultistreamCodec.MAX_MESSAGE_BYTES) {
                log.debug("ls reply truncated before '{}': it would exceed {} bytes",
                        protocol, MultistreamCodec.MAX_MESSAGE_BYTES);
                break;
            }
            body.writeBytes(framed);
        }
        body.write('\n');
        return MultistreamCodec.frame(body.toByteArray());
    }

    private static void requireHeader(String message) throws PeerFaultException {
        if (!message.equals(PROTOCOL_ID)) {
            throw new PeerFaultException("expected the multistream-select header '" + PROTOCOL_ID + "', got '"
                    + MultistreamCodec.abbreviate(message) + "'");
        }
    }

    private static void requireProposable(String protocol) {
        if (protocol.isEmpty() || protocol.indexOf('\n') >= 0 || protocol.equals(NA) || protocol.equals(LS)) {
            throw new IllegalArgumentException("'" + protocol + "' cannot be proposed as a protocol id");
        }
        // encode() checks the length; fail here, before anything is written.
        MultistreamCodec.encode(protocol);
    }
}
