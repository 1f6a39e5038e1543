package org.heartbeat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** The daemon's pid file: one line, the process id. How every subcommand finds the running daemon. */
final class PidFile {
    private final Path file;

    PidFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** The running process the file names, if the file exists and that process is alive. */
    Optional<ProcessHandle> running() {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("java")).orElse(true));
    }

    /** Writes this process's id, atomically, and removes the file again when this process exits. */
    void claim() throws IOException {
        long pid = ProcessHandle.current().pid();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".hbpid", ".tmp");
        Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (Files.readString(file, StandardCharsets.US_ASCII).strip().equals(Long.toString(pid))) {
                    Files.delete(file);
                }
            } catch (IOException e) {
                // gone already
            }
        }, "pidfile-cleanup"));
    }
}
