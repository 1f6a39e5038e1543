package org.heartbeat.plugin.nagios.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Runs a check as a process of its own, without a shell, and reads its result as Nagios 4 does:
 * <ul>
 * <li>the program is found by the {@link CommandResolver}; one that is not found is UNKNOWN, saying so;</li>
 * <li>it runs with {@code hbc}'s environment plus {@code LC_ALL=C}, so that numbers in performance data have
 * decimal points whatever the host's locale, and with no input;</li>
 * <li>its standard output and error are read while it runs, each kept up to {@code outputCap} bytes and the rest
 * read and dropped, so that a chatty check never blocks on a full pipe; kept output is cut back to whole lines
 * (or words) when some was dropped, so that no half item of performance data is parsed;</li>
 * <li>the state is its exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; any other code, a death by a
 * signal included, is UNKNOWN and said so before the output;</li>
 * <li>when it prints nothing on standard output, its output is {@code (No output on stdout) stderr: ...}, or
 * {@code (No output returned from plugin)};</li>
 * <li>after its timeout it is killed with the processes it started ({@link #kill(Process)}) and reported
 * CRITICAL, {@code check timed out after N s}, as Nagios 4 does by default
 * ({@code service_check_timeout_state=c}): a check that hangs usually means what it checks hangs.</li>
 * </ul>
 */
final class ProcessCheckRunner implements CheckRunner {
    /** How much of its standard output (and, separately, error) a check may print; Nagios 3 kept as much. */
    static final int OUTPUT_CAP = 8 * 1024;
    /** How long output is still read after a check exited on time, when the deadline has already passed. */
    private static final long MIN_DRAIN_MILLIS = 50;

    private final CommandResolver resolver;
    private final Executor drains;
    private final LongSupplier clock;
    private final int outputCap;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    /**
     * @param resolver finds programs
     * @param drains runs the readers of the checks' output, two for each running check
     * @param clock the wall clock, epoch milliseconds
     * @param outputCap the bytes of each of standard output and error kept
     */
    ProcessCheckRunner(CommandResolver resolver, Executor drains, LongSupplier clock, int outputCap) {
        this.resolver = resolver;
        this.drains = drains;
        this.clock = clock;
        this.outputCap = outputCap;
    }

    @Override
    public CheckResult run(CheckSpec check) throws InterruptedException {
        long checked = clock.getAsLong();
        long start = System.nanoTime();
        CommandResolver.Resolution found = resolver.resolve(check.command().get(0));
        if (found.path() == null) {
            return new CheckResult(State.UNKNOWN, PluginOutput.of(found.problem()), checked, millisSince(start));
        }
        List<String> argv = new ArrayList<>(check.command());
        argv.set(0, found.path().toString());
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().put("LC_ALL", "C");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new CheckResult(State.UNKNOWN, PluginOutput.of("cannot run " + found.path() + ": " + e.getMessage()),
                    checked, millisSince(start));
        }
        running.add(process);
        try {
            closeInput(process);
            Capture out = new Capture(outputCap);
            Capture err = new Capture(outputCap);
            CompletableFuture<Void> drained = CompletableFuture.allOf(
                    CompletableFuture.runAsync(() -> out.drain(process.getInputStream()), drains),
                    CompletableFuture.runAsync(() -> err.drain(process.getErrorStream()), drains));
            if (!process.waitFor(check.timeoutMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                return new CheckResult(State.CRITICAL,
                        PluginOutput.of("check timed out after " + seconds(check.timeoutMillis()) + " s"), checked,
                        millisSince(start));
            }
            try {
                drained.get(Math.max(MIN_DRAIN_MILLIS, check.timeoutMillis() - millisSince(start)),
                        TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // something the check started holds its output open: take what has come so far
            } catch (ExecutionException e) {
                // a reader failed: what it read is kept
            }
            return result(process.exitValue(), out.text(), err.text(), checked, millisSince(start));
        } catch (InterruptedException | RuntimeException | Error e) {
            kill(process);
            throw e;
        } finally {
            running.remove(process);
        }
    }

    private static void closeInput(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // it has exited already
        }
    }

    /** The result of a check that exited with {@code exitCode} after printing {@code stdout} and {@code stderr}. */
    static CheckResult result(int exitCode, String stdout, String stderr, long checked, long duration) {
        String printed = !stdout.isBlank() ? stdout
                : !stderr.isBlank() ? "(No output on stdout) stderr: " + stderr.strip()
                : "(No output returned from plugin)";
        PluginOutput output = PluginOutput.parse(printed);
        State state = State.ofExitCode(exitCode);
        if (exitCode < 0 || exitCode > 3) {
            String note = "(Return code of " + exitCode + " is out of bounds"
                    + (exitCode > 128 && exitCode <= 128 + 64 ? ", as when killed by signal " + (exitCode - 128) : "")
                    + ")";
            output = new PluginOutput(output.text().isEmpty() ? note : note + " " + output.text(), output.longText(),
                    output.perfdata());
        }
        return new CheckResult(state, output, checked, duration);
    }

    /**
     * Kills {@code process} and its descendants, at once ({@code SIGKILL}): the parent first, so that a script cannot
     * start its next command, then every descendant it had a moment before. A descendant that detached itself
     * (double fork, {@code setsid}) before that moment, or was started in between, escapes.
     */
    static void kill(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void killAll() {
        running.forEach(ProcessCheckRunner::kill);
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    /** One output stream of a check: read to its end, the first {@code cap} bytes kept. */
    static final class Capture {
        private final int cap;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private boolean truncated;

        Capture(int cap) {
            this.cap = cap;
        }

        void drain(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0;) {
                    synchronized (this) {
                        int keep = Math.min(n, cap - kept.size());
                        kept.write(buffer, 0, Math.max(keep, 0));
                        truncated |= keep < n;
                    }
                }
            } catch (IOException e) {
                // the stream was closed under us: what was read is kept
            }
        }

        /** What was kept, as text; when some was dropped, cut back to the last whole line, or else word. */
        synchronized String text() {
            String s = kept.toString(StandardCharsets.UTF_8);
            if (!truncated) {
                return s;
            }
            int end = s.lastIndexOf('\n');
            if (end < 0) {
                end = Math.max(s.lastIndexOf(' '), s.lastIndexOf('\t'));
            }
            return end > 0 ? s.substring(0, end) : s;
        }
    }
}
