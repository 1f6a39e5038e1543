package org.heartbeat.plugin.nagios.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/** Shell scripts standing in for Nagios plugins, written into a test's temporary directory. */
final class Scripts {
    private Scripts() {
    }

    /** An executable {@code #!/bin/sh} script {@code name} in {@code dir} running {@code body}. */
    static Path write(Path dir, String name, String body) {
        Path p = dir.resolve(name);
        try {
            Files.writeString(p, "#!/bin/sh\n" + body + "\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** A valid check of {@code command} with the given timeout. */
    static CheckSpec check(String name, long timeoutMillis, String... command) {
        return new CheckSpec(name, List.of(command), 60_000, timeoutMillis, null);
    }

    /** Shell code that writes the id of the process {@code $$} or {@code $!} to {@code file}, whole at once. */
    static String writePid(String which, Path file) {
        return "echo " + which + " > " + file + ".tmp && mv " + file + ".tmp " + file;
    }

    /** The id of the process a script wrote to {@code file} ({@link #writePid}), once it has. */
    static long awaitPid(Path file) {
        await().atMost(Duration.ofSeconds(10)).until(() -> readPid(file).isPresent());
        return readPid(file).orElseThrow();
    }

    private static Optional<Long> readPid(Path file) {
        try {
            String s = Files.readString(file).strip();
            return s.matches("\\d+") ? Optional.of(Long.parseLong(s)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether process {@code pid} runs; a zombie waiting for its (new) parent to reap it does not. */
    static boolean running(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                return !stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /** Waits until process {@code pid} has ended. */
    static void awaitDead(long pid) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !running(pid));
    }
}
