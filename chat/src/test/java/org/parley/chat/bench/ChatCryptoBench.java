package org.parley.chat.bench;

import java.time.Clock;
import java.util.Locale;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.session.InMemoryChatStores;
import org.parley.chat.session.SessionManager;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.EnvelopeCodec;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.chat.wire.Padding;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SignalMessage;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyBundle;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;
import org.signal.libsignal.protocol.state.impl.InMemorySignalProtocolStore;

/**
 * How many encrypt+decrypt pairs per second one core does: libsignal alone on 256-byte plaintexts,
 * with its own in-memory store, then the same through Parley's envelope codec, padding,
 * {@link SessionManager} and {@link InMemoryChatStores} (which keeps records serialized, as a
 * database does), so the overhead of our layer shows. Both sides run on the calling thread. One
 * direction (a steady sending chain) and alternating directions (a DH ratchet step per message).
 *
 * <p>Run with {@code scripts/bench chat-crypto [SECONDS_PER_CASE]} (default 2).
 */
public final class ChatCryptoBench {

    private static final int PLAINTEXT_BYTES = 256;

    private ChatCryptoBench() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        int rounds = 3;
        String small = textFitting(Padding.BUCKETS[0]);
        String[] names = {
            "libsignal alone, 256-byte plaintext, one direction",
            "envelope + padding (256 B bucket) + SessionManager, one direction",
            "envelope + padding of a 256-byte text (1 KiB bucket), one direction",
            "libsignal alone, 256-byte plaintext, alternating",
            "envelope + padding (256 B bucket) + SessionManager, alternating",
        };
        Case[] cases = {
            s -> raw(s, false),
            s -> ours(s, false, small),
            s -> ours(s, false, "x".repeat(PLAINTEXT_BYTES)),
            s -> raw(s, true),
            s -> ours(s, true, small),
        };
        System.out.printf(Locale.ROOT, "chat-crypto: encrypt+decrypt pairs/s on one thread; %d interleaved rounds of %.1f s"
                + " per case after a warm-up, medians%n", rounds, seconds);
        for (Case c : cases) {
            c.run(Math.min(1, seconds));
        }
        double[][] results = new double[cases.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < cases.length; c++) {
                results[c][r] = cases[c].run(seconds);
            }
        }
        double[] medians = new double[cases.length];
        for (int c = 0; c < cases.length; c++) {
            java.util.Arrays.sort(results[c]);
            medians[c] = results[c][rounds / 2];
        }
        System.out.printf(Locale.ROOT, "%-70s %10s %8s%n", "case", "pairs/s", "vs raw");
        for (int c = 0; c < cases.length; c++) {
            row(names[c], medians[c], medians[c < 3 ? 0 : 3]);
        }
    }

    private interface Case {
        double run(double seconds) throws Exception;
    }

    private static void row(String name, double rate, double base) {
        System.out.printf(Locale.ROOT, "%-70s %10.0f %7.0f%%%n", name, rate, 100 * rate / base);
    }

    /** The longest text whose encoded envelope pads to {@code bucket}. */
    private static String textFitting(int bucket) {
        String text = "";
        while (EnvelopeCodec.encode(envelope(text + "x")).length < bucket) {
            text += "x";
        }
        return text;
    }

    private static ChatEnvelope envelope(String text) {
        return new ChatEnvelope(MessageId.next(), new HlcTimestamp(System.currentTimeMillis(), 0),
                new ConversationId(new byte[16]), new ChatContent.Text(text));
    }

    /** libsignal with its own in-memory store (live objects, no serialization), as a baseline. */
    private static double raw(double seconds, boolean alternate) throws Exception {
        IdentityKeyPair aId = IdentityKeyPair.generate();
        IdentityKeyPair bId = IdentityKeyPair.generate();
        InMemorySignalProtocolStore a = new InMemorySignalProtocolStore(aId, 1);
        InMemorySignalProtocolStore b = new InMemorySignalProtocolStore(bId, 2);
        SignalProtocolAddress aAddr = new SignalProtocolAddress("a", 1);
        SignalProtocolAddress bAddr = new SignalProtocolAddress("b", 1);
        ECKeyPair signed = ECKeyPair.generate();
        byte[] signedSig = bId.getPrivateKey().calculateSignature(signed.getPublicKey().serialize());
        b.storeSignedPreKey(1, new SignedPreKeyRecord(1, System.currentTimeMillis(), signed, signedSig));
        KEMKeyPair kyber = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
        byte[] kyberSig = bId.getPrivateKey().calculateSignature(kyber.getPublicKey().serialize());
        b.storeKyberPreKey(1, new KyberPreKeyRecord(1, System.currentTimeMillis(), kyber, kyberSig));
        new SessionBuilder(a, bAddr).process(new PreKeyBundle(2, 1, PreKeyBundle.NULL_PRE_KEY_ID, null, 1,
                signed.getPublicKey(), signedSig, bId.getPublicKey(), 1, kyber.getPublicKey(), kyberSig));
        SessionCipher aToB = new SessionCipher(a, bAddr);
        SessionCipher bToA = new SessionCipher(b, aAddr);
        byte[] plain = new byte[PLAINTEXT_BYTES];
        // Establish both directions so steady-state messages are SignalMessages.
        bToA.decrypt(new PreKeySignalMessage(aToB.encrypt(plain).serialize()));
        aToB.decrypt(new SignalMessage(bToA.encrypt(plain).serialize()));
        return measure(seconds, i -> {
            boolean reverse = alternate && (i & 1) == 1;
            CiphertextMessage m = (reverse ? bToA : aToB).encrypt(plain);
            (reverse ? aToB : bToA).decrypt(new SignalMessage(m.serialize()));
        });
    }

    private static double ours(double seconds, boolean alternate, String text) throws Exception {
        SessionManager a = new SessionManager(stores(1));
        SessionManager b = new SessionManager(stores(2));
        ChatAddress bAddr = a.startSession(b.self(), b.prekeyService(Clock.systemUTC()).nextBundle());
        ChatAddress aAddr = new ChatAddress(a.self(), 1);
        b.decrypt(a.encrypt(bAddr, envelope(text)));
        a.decrypt(b.encrypt(aAddr, envelope(text)));
        ChatEnvelope e = envelope(text);
        return measure(seconds, i -> {
            boolean reverse = alternate && (i & 1) == 1;
            ChatFrame f = reverse ? b.encrypt(aAddr, e) : a.encrypt(bAddr, e);
            if (reverse) {
                a.decrypt(f);
            } else {
                b.decrypt(f);
            }
        });
    }

    private static InMemoryChatStores stores(int device) {
        return new InMemoryChatStores(IdentityKeyPair.generate(), device, 1);
    }

    private interface Step {
        void run(long i) throws Exception;
    }

    /** Warms up for a fifth of the time, then counts pairs for {@code seconds}. */
    private static double measure(double seconds, Step step) throws Exception {
        long i = 0;
        long warmEnd = System.nanoTime() + (long) (seconds * 0.2e9);
        while (System.nanoTime() < warmEnd) {
            step.run(i++);
        }
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long n = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
            step.run(i++);
            n++;
        }
        return n / ((now - start) / 1e9);
    }
}
