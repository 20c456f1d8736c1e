package org.parley.files.share;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/** A file's size and modification time: unchanged, the file is taken to hold what was hashed. */
record FileStamp(long size, FileTime modified) {

    /** The stamp of {@code path} now (one stat). */
    static FileStamp of(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return new FileStamp(attributes.size(), attributes.lastModifiedTime());
    }
}
