package org.heartbeat.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A short-lived {@code hbd serve -f} run as a child of this command, on a configuration of its own (ports the system
 * picks, files in a scratch directory): what {@code hbd cds} trains on, and what {@code hbd notify} sends through
 * when no daemon runs. Its output goes to a file, read only when something goes wrong.
 */
final class ScratchDaemon implements AutoCloseable {
    private static final Pattern PORTS = Pattern.compile("UDP :(\\d+), HTTPS? :(\\d+)");
    private static final long STOP_SECONDS = 60;

    private final Process child;
    private final Path output;
    private final Thread drain;
    private final int udpPort;
    private final int httpPort;

    private ScratchDaemon(Process child, Path output, Thread drain, int udpPort, int httpPort) {
        this.child = child;
        this.output = output;
        this.drain = drain;
        this.udpPort = udpPort;
        this.httpPort = httpPort;
    }

    /** This JVM's options that {@code keep} accepts: the child runs like this command (heap, CDS, ...). */
    static List<String> jvmOptions(Predicate<String> keep) {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(keep).toList();
    }

    /**
     * Starts hbd on {@code config} and waits for its ready line.
     *
     * @throws IOException saying why it did not start, with the last lines it wrote
     */
    static ScratchDaemon start(Path config, Path output, List<String> jvmOptions, long startSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Hbd.class.getName(), "serve", "-f",
                "-c", config.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> copyUntilReady(child.getInputStream(), output, ready), "hbd-scratch-output");
        drain.setDaemon(true);
        drain.start();
        String line;
        try {
            line = ready.get(startSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            line = null;
        }
        Matcher m = line == null ? null : PORTS.matcher(line);
        if (m == null || !m.find()) {
            child.destroyForcibly();
            child.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
            throw new IOException("did not start (" + lastLines(output) + ")");
        }
        return new ScratchDaemon(child, output, drain, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    int udpPort() {
        return udpPort;
    }

    int httpPort() {
        return httpPort;
    }

    /**
     * Stops it as {@code hbd stop} would (SIGTERM), and waits.
     *
     * @return null when it stopped, else what went wrong
     */
    String stop() throws InterruptedException {
        child.destroy();
        if (!child.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            return "did not stop within " + STOP_SECONDS + " s";
        }
        drain.join(TimeUnit.SECONDS.toMillis(5));
        return null;
    }

    int exitValue() {
        return child.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (child.isAlive()) {
            stop();
        }
    }

    /** Copies the child's output to {@code file}, completing {@code ready} with the ready line when it comes. */
    private static void copyUntilReady(InputStream in, Path file, CompletableFuture<String> ready) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            String line;
            while ((line = r.readLine()) != null) {
                w.println(line);
                w.flush();
                if (line.startsWith(Hbd.Serve.READY)) {
                    ready.complete(line);
                }
            }
        } catch (IOException e) {
            // the child is gone; what it wrote so far is in the file
        } finally {
            ready.complete(null);
        }
    }

    /** The last lines of a file, joined, for a message. */
    static String lastLines(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())).strip();
        } catch (IOException e) {
            return "no output";
        }
    }

    /** Deletes a directory and everything in it, as far as it can. */
    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left behind in the temporary directory
                }
            });
        } catch (IOException e) {
            // nothing to delete
        }
    }
}
