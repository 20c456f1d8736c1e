package org.parley.chat.bench;

import java.time.Clock;
import java.util.Locale;
import org.parley.chat.identity.UserId;
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
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SignalMessage;

/**
 * How many encrypt+decrypt pairs per second one core does: libsignal alone on 256-byte plaintexts,
 * then the same through Parley's envelope codec, padding and {@link SessionManager}, so the
 * overhead of our layer shows. Both sides run on the calling thread with in-memory stores. One
 * direction (a steady sending chain) and alternating directions (a DH ratchet step per message).
 *
 * <p>Run with {@code scripts/bench chat-crypto [SECONDS_PER_CASE]} (default 5).
 */
public final class ChatCryptoBench {

    private static final int PLAINTEXT_BYTES = 256;

    private ChatCryptoBench() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        System.out.printf(Locale.ROOT, "chat-crypto: encrypt+decrypt pairs/s on one thread, %.0f s per case%n", seconds);
        double rawOne = raw(seconds, false);
        double oursOne = ours(seconds, false, textFitting(Padding.BUCKETS[0]));
        double oursOneKiB = ours(seconds, false, "x".repeat(PLAINTEXT_BYTES));
        double rawAlt = raw(seconds, true);
        double oursAlt = ours(seconds, true, textFitting(Padding.BUCKETS[0]));
        System.out.printf(Locale.ROOT, "%-64s %10s %8s%n", "case", "pairs/s", "vs raw");
        row("libsignal alone, 256-byte plaintext, one direction", rawOne, rawOne);
        row("envelope + padding (256 B bucket) + SessionManager, one direction", oursOne, rawOne);
        row("envelope + padding of a 256-byte text (1 KiB bucket), one direction", oursOneKiB, rawOne);
        row("libsignal alone, 256-byte plaintext, alternating", rawAlt, rawAlt);
        row("envelope + padding (256 B bucket) + SessionManager, alternating", oursAlt, rawAlt);
    }

    private static void row(String name, double rate, double base) {
        System.out.printf(Locale.ROOT, "%-64s %10.0f %7.0f%%%n", name, rate, 100 * rate / base);
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
        return new ChatEnvelope(MessageId.random(), new HlcTimestamp(System.currentTimeMillis(), 0),
                new ConversationId(new byte[16]), new ChatContent.Text(text));
    }

    private static double raw(double seconds, boolean alternate) throws Exception {
        InMemoryChatStores a = stores(1);
        InMemoryChatStores b = stores(2);
        SignalProtocolAddress aAddr = new SignalProtocolAddress(UserId.of(a.getIdentityKeyPair().getPublicKey()).text(), 1);
        SignalProtocolAddress bAddr = new SignalProtocolAddress(UserId.of(b.getIdentityKeyPair().getPublicKey()).text(), 1);
        SessionManager bManager = new SessionManager(b);
        var bundle = bManager.prekeyService(Clock.systemUTC()).nextBundle();
        SessionManager aManager = new SessionManager(a);
        aManager.startSession(UserId.of(b.getIdentityKeyPair().getPublicKey()), bundle);
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
