package org.heartbeat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.heartbeat.protocol.HostKey;

/** Writes key files that only their owner can read. */
final class KeyFiles {
    private KeyFiles() {
    }

    static void write(Path file, String host, HostKey key) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "will not overwrite a key file");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, "# Heartbeat host key of " + host + "\n" + key.toBase64() + "\n", StandardCharsets.UTF_8);
    }
}
