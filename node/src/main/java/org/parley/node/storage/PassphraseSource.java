package org.parley.node.storage;

import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where the passphrase that wraps {@code storage.key} comes from: a file the user named
 * ({@code --passphrase-file}), else the terminal, where the user types it. Each call reads afresh
 * and hands the caller a {@link Passphrase} to close.
 */
public interface PassphraseSource {

    /**
     * A passphrase file holds one line; anything larger is not one. 1 KiB is far above any
     * passphrase a person types and far below what would matter in memory.
     */
    int MAX_FILE_BYTES = 1024;

    /**
     * The passphrase the user gave up front (a file), if any. A new storage key is wrapped with it;
     * without one it is stored plain (0600), and the node never prompts at first start.
     */
    Optional<Passphrase> given() throws StorageException;

    /**
     * A passphrase to open a wrapped key: the one given up front, else typed at the terminal.
     *
     * @throws StorageException if there is neither a file nor a terminal, saying what to do
     */
    Passphrase required() throws StorageException;

    /** The passphrase in {@code file} if it is not null, else the terminal's. */
    static PassphraseSource of(Path file) {
        return file != null ? fromFile(file) : fromConsole();
    }

    /** The passphrase in {@code file}: its content without one trailing line break. */
    static PassphraseSource fromFile(Path file) {
        return new PassphraseSource() {
            @Override
            public Optional<Passphrase> given() throws StorageException {
                return Optional.of(readFile(file));
            }

            @Override
            public Passphrase required() throws StorageException {
                return readFile(file);
            }
        };
    }

    /** No file: asks at the terminal when a wrapped key must be opened. */
    static PassphraseSource fromConsole() {
        return new PassphraseSource() {
            @Override
            public Optional<Passphrase> given() {
                return Optional.empty();
            }

            @Override
            public Passphrase required() throws StorageException {
                Console console = System.console();
                if (console == null || !console.isTerminal()) {
                    throw new StorageException("storage.key is protected by a passphrase and there is no terminal to"
                            + " type it: put it in a file only you can read and start with --passphrase-file FILE");
                }
                char[] typed = console.readPassword("passphrase for storage.key: ");
                if (typed == null) {
                    throw new StorageException("no passphrase was typed (end of input): start the node again and"
                            + " type the passphrase of storage.key, or use --passphrase-file FILE");
                }
                try {
                    return new Passphrase(encode(typed));
                } finally {
                    Arrays.fill(typed, '\0');
                }
            }
        };
    }

    private static Passphrase readFile(Path file) throws StorageException {
        byte[] content;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new StorageException("passphrase file " + file + " is " + size + " bytes; a passphrase file"
                        + " holds one line of at most " + MAX_FILE_BYTES + " bytes");
            }
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new StorageException("passphrase file " + file + " does not exist: check the --passphrase-file path",
                    e);
        } catch (IOException e) {
            throw new StorageException("cannot read passphrase file " + file + ": " + e.getMessage(), e);
        }
        int length = content.length;
        if (length > 0 && content[length - 1] == '\n') {
            length--;
            if (length > 0 && content[length - 1] == '\r') {
                length--;
            }
        }
        byte[] passphrase = Arrays.copyOf(content, length);
        Arrays.fill(content, (byte) 0);
        if (passphrase.length == 0) {
            throw new StorageException("passphrase file " + file + " is empty: write the passphrase into it");
        }
        return new Passphrase(passphrase);
    }

    private static byte[] encode(char[] chars) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        // The encoder's buffer held the passphrase too.
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }
}
