package org.parley.node.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.KeyFile;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.versions.InvalidVersionListException;
import org.parley.node.versions.SignedVersionList;
import org.parley.node.versions.UnsafeVersions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parley unsafe-versions sign --key KEYFILE LIST.json}: a maintainer's tool that signs an
 * unsafe-version list for nodes to load ({@code unsafeVersions}, with the printed key ID pinned in
 * {@code unsafeVersionsKey}). Needs no running node.
 */
@Command(name = "unsafe-versions", mixinStandardHelpOptions = true,
        description = "Maintainer's tool for the signed list of unsafe client versions.",
        subcommands = UnsafeVersionsCommand.Sign.class)
final class UnsafeVersionsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("parley unsafe-versions: say what to do: sign");
        return ExitCode.USAGE;
    }

    /** {@code unsafe-versions sign}. */
    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = {"Sign LIST.json ({\"entries\": [{\"name\", \"from\", \"below\", \"reason\"}]}) with the"
                    + " Ed25519 key in KEYFILE (created if missing, readable by you alone), writing the signed list"
                    + " to --out (default: LIST.signed.json), and print the key ID to pin in unsafeVersionsKey."})
    static final class Sign implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LIST.json")
        Path list;

        @Option(names = "--key", required = true, paramLabel = "KEYFILE",
                description = "The signing key (a Parley key file such as a data dir's key.bin, or a new file).")
        Path key;

        @Option(names = "--out", paramLabel = "FILE", description = "Where to write the signed list.")
        Path out;

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter stderr = spec.commandLine().getErr();
            try {
                if (!Files.isRegularFile(list)) {
                    throw new CliException(list + " does not exist; write the list first, like"
                            + " {\"entries\": [{\"name\": \"parley\", \"below\": \"0.2.0\", \"reason\": \"...\"}]}");
                }
                if (Files.size(list) > UnsafeVersions.MAX_FILE_BYTES) {
                    throw new CliException(list + " is over " + UnsafeVersions.MAX_FILE_BYTES
                            + " bytes; nodes would refuse it");
                }
                String text = Files.readString(list, StandardCharsets.UTF_8);
                Ed25519PrivateKey signer = KeyFile.loadOrCreate(key);
                Path target = out != null ? out : signedName(list);
                Files.writeString(target, SignedVersionList.sign(text, signer), StandardCharsets.UTF_8);
                stdout.println("signed: " + target);
                stdout.println("key: " + PeerId.fromPublicKey(signer.publicKey()).toBase58()
                        + "   (pin this in unsafeVersionsKey)");
                stdout.flush();
                return ExitCode.OK;
            } catch (CliException e) {
                stderr.println("parley unsafe-versions sign: " + e.getMessage());
            } catch (InvalidVersionListException e) {
                stderr.println("parley unsafe-versions sign: " + list + " is not an unsafe-version list: "
                        + e.getMessage());
            } catch (IOException e) {
                stderr.println("parley unsafe-versions sign: " + e.getMessage());
            }
            stderr.flush();
            return ExitCode.ERROR;
        }

        private static Path signedName(Path list) {
            String name = list.getFileName().toString();
            String base = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
            return list.resolveSibling(base + ".signed.json");
        }
    }
}
