package org.heartbeat.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A process a test started, with its standard output and error in one file the test can read. */
final class RunningProcess implements AutoCloseable {
    private final Process process;
    private final Path output;
    private final String name;

    private RunningProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    static RunningProcess start(String name, Path dir, List<String> command) throws IOException {
        return start(name, dir, command, Map.of());
    }

    static RunningProcess start(String name, Path dir, List<String> command, Map<String, String> env)
            throws IOException {
        Path out = Files.createTempFile(dir, name + "-", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().putAll(env);
        return new RunningProcess(name, pb.start(), out);
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a line matching {@code regex} in the output and returns its first group (or the match). */
    String awaitLine(String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex);
        String[] found = new String[1];
        await(name + " printing /" + regex + "/").atMost(timeout).pollInterval(Duration.ofMillis(25)).until(() -> {
            if (!process.isAlive() && !p.matcher(output()).find()) {
                throw new AssertionError(name + " exited with status " + process.exitValue() + ":\n" + output());
            }
            Matcher m = p.matcher(output());
            if (m.find()) {
                found[0] = m.groupCount() > 0 ? m.group(1) : m.group();
                return true;
            }
            return false;
        });
        return found[0];
    }

    /** Waits for the process to end and returns its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, then waits for the exit. */
    int stop() throws InterruptedException {
        process.destroy();
        return awaitExit(Duration.ofSeconds(30));
    }

    /** SIGKILL: the process gets no chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, and SIGKILL if that does not end it within 30 s: a test never leaves a process behind. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError(name + " did not stop within 30 s of SIGTERM and was killed:\n" + output());
            }
        }
    }
}
