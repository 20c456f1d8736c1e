package org.parley.journal.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.parley.journal.DeviceRoster;
import org.parley.journal.protocol.ExchangeResult;
import org.parley.journal.protocol.JournalExchange;

/** Runs an exchange between two test devices over in-memory pipes, the responder on a virtual thread. */
public final class Exchanges {

    private Exchanges() {}

    /** Both sides' results of one exchange. */
    public record Outcome(ExchangeResult initiator, ExchangeResult responder) {}

    public static Outcome run(Device initiator, Device responder, DeviceRoster roster) throws Exception {
        return run(initiator, responder, roster, Long.MAX_VALUE);
    }

    /**
     * Runs one exchange; the responder's output breaks (as a dropped connection) after
     * {@code responderByteBudget} bytes, and both sides then see their streams end.
     */
    public static Outcome run(Device initiator, Device responder, DeviceRoster roster, long responderByteBudget)
            throws Exception {
        Pipe toResponder = Pipe.open();
        Pipe toInitiator = Pipe.open();
        InputStream responderIn = Channels.newInputStream(toResponder.source());
        OutputStream responderOut = new BreakingOut(Channels.newOutputStream(toInitiator.sink()), responderByteBudget,
                () -> {
                    toInitiator.sink().close();
                    toResponder.source().close();
                });
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ExchangeResult> responderResult = executor.submit(() -> {
                try {
                    return new JournalExchange(responder.journal, roster, initiator.id, responderIn, responderOut)
                            .respond();
                } finally {
                    toInitiator.sink().close();
                }
            });
            ExchangeResult initiatorResult;
            try {
                initiatorResult = new JournalExchange(initiator.journal, roster, responder.id,
                        Channels.newInputStream(toInitiator.source()), Channels.newOutputStream(toResponder.sink()))
                        .initiate();
            } finally {
                toResponder.sink().close();
            }
            try {
                return new Outcome(initiatorResult, responderResult.get());
            } catch (ExecutionException e) {
                throw (Exception) e.getCause();
            }
        } finally {
            toInitiator.source().close();
            toResponder.source().close();
        }
    }

    /** An output stream that fails, as a lost connection does, once its byte budget is spent. */
    private static final class BreakingOut extends OutputStream {
        private final OutputStream out;
        private final ThrowingRunnable onBreak;
        private long budget;

        BreakingOut(OutputStream out, long budget, ThrowingRunnable onBreak) {
            this.out = out;
            this.budget = budget;
            this.onBreak = onBreak;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > budget) {
                out.write(b, off, (int) budget);
                budget = 0;
                onBreak.run();
                throw new IOException("connection lost");
            }
            budget -= len;
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws IOException;
    }

}
