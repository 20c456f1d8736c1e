package org.parley.node.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.GetFileRequest;
import org.parley.node.api.dto.ShareRequest;
import org.parley.node.api.dto.TransferAnswer;
import org.parley.node.api.dto.TransferIdRequest;
import org.parley.node.api.dto.TransfersAnswer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The file sharing subcommands: {@code share}, {@code unshare}, {@code get}, {@code transfers},
 * {@code pause}, {@code resume}, {@code cancel}. Paths are made absolute here, since the node may
 * run in another directory. Only holds the command classes.
 */
final class FileCommands {

    static final String ID_HELP = "The file id (the xt=urn:parley:<id> of the link; parley transfers lists them).";
    /**
     * How often {@code get --wait} redraws its bar: the node holds each progress request this long
     * unless the download ends first, so the command returns as soon as the file is in place.
     */
    static final Duration WAIT_POLL_INTERVAL = Duration.ofMillis(250);
    /** Characters of the progress bar between its brackets. */
    static final int BAR_WIDTH = 30;

    private FileCommands() {}

    /** {@code share FILE}: serve a file from where it is and print its link. */
    @Command(name = "share", mixinStandardHelpOptions = true,
            description = "Share FILE from where it is (nothing is copied) and print its link.")
    static final class Share extends ClientCommand<TransferAnswer> {

        @Parameters(index = "0", paramLabel = "FILE")
        String file;

        @Option(names = "--timeout", paramLabel = "SECONDS",
                description = "How long to wait for the node to chunk, encrypt and hash FILE"
                        + " (default: 3 min plus 1 s per " + ShareWait.BYTES_PER_SECOND_FLOOR / (1024 * 1024) + " MiB).")
        Long timeoutSeconds;

        @Override
        void checkUsage() {
            if (timeoutSeconds != null && timeoutSeconds < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 1 second");
            }
        }

        @Override
        ApiClient.Answer<TransferAnswer> request(ApiClient client) throws CliException {
            String path = absolute(file);
            long size = ShareWait.sizeOf(Path.of(path));
            Duration timeout = timeoutSeconds != null ? Duration.ofSeconds(timeoutSeconds) : ShareWait.timeoutFor(size);
            if (ShareWait.worthANotice(size)) {
                // A large file: say what the wait is for, so a quiet minute does not look like a hang.
                PrintWriter err = spec.commandLine().getErr();
                err.println(ShareWait.waitingMessage(path, size, timeout));
                err.flush();
            }
            return client.post(ApiPaths.FILES_SHARE, new ShareRequest(path), TransferAnswer.class, timeout,
                    "; the node goes on sharing the file: `parley transfers` lists it once it is ready");
        }

        @Override
        void printText(TransferAnswer answer, PrintWriter out) {
            out.println(answer.link());
        }
    }

    /** {@code unshare ID}: stop serving a file. */
    @Command(name = "unshare", mixinStandardHelpOptions = true,
            description = "Stop sharing a file (the file itself is left alone).")
    static final class Unshare extends ClientCommand<TransferAnswer> {

        @Parameters(index = "0", paramLabel = "ID", description = ID_HELP)
        String id;

        @Override
        ApiClient.Answer<TransferAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.FILES_UNSHARE, new TransferIdRequest(id), TransferAnswer.class);
        }

        @Override
        void printText(TransferAnswer answer, PrintWriter out) {
            out.println("no longer sharing " + answer.name() + " (" + answer.fileId() + ")");
        }
    }

    /** {@code get LINK}: download a file, optionally waiting with a progress bar. */
    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Download the file of LINK from every peer that has it.")
    static final class Get extends ClientCommand<TransferAnswer> {

        @Parameters(index = "0", paramLabel = "LINK", description = "A magnet:?xt=urn:parley:... link.")
        String link;

        @Option(names = "--out", paramLabel = "DIR",
                description = "Where the file goes (default: ~/Downloads if it exists, else the current directory).")
        String out;

        @Option(names = "--wait", description = "Show a progress bar and return once the file is in place.")
        boolean waitForFile;

        @Override
        ApiClient.Answer<TransferAnswer> request(ApiClient client) throws CliException {
            ApiClient.Answer<TransferAnswer> started = client.post(ApiPaths.FILES_GET,
                    new GetFileRequest(link, absolute(out == null ? defaultOutDir().toString() : out)),
                    TransferAnswer.class);
            return waitForFile ? awaitFile(client, started) : started;
        }

        private ApiClient.Answer<TransferAnswer> awaitFile(ApiClient client, ApiClient.Answer<TransferAnswer> answer)
                throws CliException {
            PrintWriter err = spec.commandLine().getErr();
            TransferIdRequest id = new TransferIdRequest(answer.value().fileId(), (int) WAIT_POLL_INTERVAL.toMillis());
            // As if the last show went out an interval ago: the first one goes at once.
            long asked = System.nanoTime() - WAIT_POLL_INTERVAL.toNanos();
            while (true) {
                TransferAnswer now = answer.value();
                switch (now.state()) {
                    case "done" -> {
                        endBar(err, now);
                        return answer;
                    }
                    case "failed" -> {
                        endBar(err, now);
                        throw new CliException(now.error() == null ? "the download failed" : now.error());
                    }
                    case "cancelled" -> {
                        endBar(err, now);
                        throw new CliException("the download was cancelled");
                    }
                    default -> {
                        err.print("\r" + progressLine(now));
                        err.flush();
                    }
                }
                // The node holds a show while the download runs; a paused one is answered at once, so the
                // asking is paced here too.
                long early = WAIT_POLL_INTERVAL.toNanos() - (System.nanoTime() - asked);
                try {
                    if (early > 0) {
                        Thread.sleep(Duration.ofNanos(early));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CliException("interrupted; the download goes on in the node (parley transfers)", e);
                }
                asked = System.nanoTime();
                answer = client.post(ApiPaths.TRANSFERS_SHOW, id, TransferAnswer.class);
            }
        }

        /** Leaves the bar on its own line, so the error below it starts a line. */
        private static void endBar(PrintWriter err, TransferAnswer last) {
            err.println("\r" + progressLine(last));
            err.flush();
        }

        @Override
        void printText(TransferAnswer answer, PrintWriter out) {
            if ("done".equals(answer.state())) {
                out.println(answer.path());
            } else {
                out.println("downloading " + answer.name() + " to " + answer.path() + " (" + answer.fileId()
                        + "); parley transfers shows progress");
            }
        }
    }

    /** {@code transfers}: every share and download. */
    @Command(name = "transfers", mixinStandardHelpOptions = true,
            description = "List shares and downloads: bytes, rate, ETA, peers, pieces, state.")
    static final class Transfers extends ClientCommand<TransfersAnswer> {

        @Override
        ApiClient.Answer<TransfersAnswer> request(ApiClient client) throws CliException {
            return client.get(ApiPaths.TRANSFERS, TransfersAnswer.class);
        }

        @Override
        void printText(TransfersAnswer answer, PrintWriter out) {
            List<TransferAnswer> all = orEmpty(answer.transfers());
            if (all.isEmpty()) {
                out.println("no shares or downloads");
                return;
            }
            for (TransferAnswer t : all) {
                out.println(t.kind() + " " + t.fileId() + " " + t.state() + " " + t.name());
                out.println("  " + progressLine(t));
                if (t.error() != null) {
                    out.println("  error: " + t.error());
                }
            }
        }
    }

    /** {@code pause ID}. */
    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a download (resume goes on).")
    static final class Pause extends ClientCommand<TransferAnswer> {

        @Parameters(index = "0", paramLabel = "ID", description = ID_HELP)
        String id;

        @Override
        ApiClient.Answer<TransferAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.TRANSFERS_PAUSE, new TransferIdRequest(id), TransferAnswer.class);
        }

        @Override
        void printText(TransferAnswer answer, PrintWriter out) {
            out.println("paused " + answer.name() + " at " + percent(answer));
        }
    }

    /** {@code resume ID}. */
    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a paused or failed download from its verified pieces.")
    static final class Resume extends ClientCommand<TransferAnswer> {

        @Parameters(index = "0", paramLabel = "ID", description = ID_HELP)
        String id;

        @Override
        ApiClient.Answer<TransferAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.TRANSFERS_RESUME, new TransferIdRequest(id), TransferAnswer.class);
        }

        @Override
        void printText(TransferAnswer answer, PrintWriter out) {
            out.println("resumed " + answer.name());
        }
    }

    /** {@code cancel ID}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a download and delete its partial pieces.")
    static final class Cancel extends ClientCommand<TransferAnswer> {

        @Parameters(index = "0", paramLabel = "ID", description = ID_HELP)
        String id;

        @Override
        ApiClient.Answer<TransferAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.TRANSFERS_CANCEL, new TransferIdRequest(id), TransferAnswer.class);
        }

        @Override
        void printText(TransferAnswer answer, PrintWriter out) {
            out.println("cancelled " + answer.name());
        }
    }

    /** ~/Downloads if it is a directory, else the current directory. */
    static Path defaultOutDir() {
        Path downloads = Path.of(System.getProperty("user.home"), "Downloads");
        return Files.isDirectory(downloads) ? downloads : Path.of("").toAbsolutePath();
    }

    static String absolute(String path) throws CliException {
        try {
            return Path.of(path).toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            throw new CliException("'" + path + "' is not a path: " + e.getReason());
        }
    }

    /** {@code [#####-----]  42.0%  12.3/29.0 MB  8.1 MB/s  ETA 2s  3 peers  120/290 pieces}. */
    static String progressLine(TransferAnswer t) {
        double fraction = t.bytesTotal() == 0 ? 0 : (double) t.bytesDone() / t.bytesTotal();
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + percent(t) + "  "
                + megabytes(t.bytesDone()) + "/" + megabytes(t.bytesTotal()) + " MB  "
                + megabytes((long) t.bytesPerSecond()) + " MB/s  ETA "
                + (t.etaSeconds() == null ? "-" : t.etaSeconds() + "s") + "  " + t.peers() + " peers  "
                + t.piecesDone() + "/" + t.piecesTotal() + " pieces";
    }

    private static String percent(TransferAnswer t) {
        return String.format(Locale.ROOT, "%5.1f%%", t.bytesTotal() == 0 ? 0.0 : 100.0 * t.bytesDone() / t.bytesTotal());
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
