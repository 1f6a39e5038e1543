package org.heartbeat.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs this same program again as a background process, detached from the terminal: the same Java, the
 * same JVM options, the same class path, other arguments. Java cannot fork, so this is how hbd and hbc
 * become daemons.
 */
final class Daemon {
    /** A daemon that reported ready, with the line it printed. */
    record Started(long pid, String line) {
    }

    private Daemon() {
    }

    /** The command line that runs {@code mainClass} with {@code args} in a new session, where setsid exists. */
    static List<String> command(Class<?> mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        String setsid = onPath("setsid");
        if (setsid != null) {
            cmd.add(setsid);
        }
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        return cmd;
    }

    static String onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /**
     * Starts a daemon whose standard output is read until it prints a line starting with
     * {@code readyPrefix}. Its standard error goes to {@code errorLog}.
     *
     * @throws IOException when the daemon exits or stays silent for {@code timeout}; the message says which
     */
    static Started startAndAwait(List<String> command, Path errorLog, String readyPrefix, Duration timeout)
            throws IOException {
        Path dir = errorLog.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Process child = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.appendTo(errorLog.toFile()))
                .start();
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith(readyPrefix)) {
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            child.destroy();
            throw new IOException("it did not start within " + timeout.toSeconds() + " s and was stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroy();
            throw new IOException("interrupted while waiting for it to start");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
        if (line == null) {
            int status;
            try {
                status = child.waitFor(5, TimeUnit.SECONDS) ? child.exitValue() : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = -1;
            }
            throw new IOException("it exited during start-up" + (status >= 0 ? " with status " + status : ""));
        }
        return new Started(child.pid(), line);
    }
}
