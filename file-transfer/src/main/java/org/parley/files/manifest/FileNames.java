package org.parley.files.manifest;

import java.nio.charset.StandardCharsets;

/** Checks that a shared file's name is safe to create in a download directory. Stateless. */
public final class FileNames {

    private FileNames() {}

    /**
     * Returns the reason {@code name} cannot be a downloaded file's name, or null if it can: it
     * must be 1..255 UTF-8 bytes, with no path separator or control character, and not "." or "..".
     */
    public static String problem(String name) {
        if (name.isEmpty()) {
            return "the file name is empty";
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > ManifestCodec.MAX_NAME_BYTES) {
            return "the file name has " + bytes + " UTF-8 bytes, more than " + ManifestCodec.MAX_NAME_BYTES;
        }
        if (name.equals(".") || name.equals("..")) {
            return "the file name is '" + name + "'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                return "the file name contains a path separator";
            }
            if (c < 0x20 || c == 0x7F) {
                return "the file name contains a control character";
            }
        }
        return null;
    }
}
