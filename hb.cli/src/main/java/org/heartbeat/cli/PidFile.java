package org.heartbeat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The daemon's pid file: one line, the process id. How every subcommand finds the running daemon. A pid
 * counts only when the process it names is alive and shows itself to be this program (by its main class
 * in its command line): after a crash and a reboot the number may well belong to something else.
 */
final class PidFile {
    private final Path file;
    private final String mainClass;

    PidFile(Path file) {
        this(file, Hbd.class.getName());
    }

    PidFile(Path file, String mainClass) {
        this.file = file;
        this.mainClass = mainClass;
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
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isOurs);
    }

    private boolean isOurs(ProcessHandle p) {
        return p.info().arguments().map(args -> java.util.Arrays.asList(args).contains(mainClass)).orElse(false)
                || p.info().commandLine().map(line -> line.contains(mainClass)).orElse(false);
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
