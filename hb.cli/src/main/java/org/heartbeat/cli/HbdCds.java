package org.heartbeat.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code hbd cds}: writes {@code lib/hbd.jsa}, a class-data sharing archive (JDK 17's dynamic archive) of the classes
 * {@code hbd serve} loads while it starts and answers its first requests. {@code bin/hbd serve} maps it when it is
 * there, so those classes are neither parsed nor verified again: the start takes about a quarter less time
 * (docs/BENCHMARKS.md, "hbd start").
 *
 * <p>The archive is written by a training run: this command starts {@code hbd serve} as a child, with the same Java,
 * JVM options and class path and {@code -XX:ArchiveClassesAtExit}, on ports the system picks, with every file in a
 * temporary directory; sends it a heartbeat, asks its HTTP API what a first visitor would, and stops it. The JVM
 * writes the archive as it exits; it replaces {@code lib/hbd.jsa} in one rename, so a running {@code hbd} keeps the one
 * it mapped. An archive fits one Java build and one installation directory: the JVM ignores one that does not (after
 * a JDK upgrade or a move), and {@code hbd} starts as it would without.
 *
 * <p>It writes {@code lib/cli.jsa} too, for every other subcommand, above all {@code hbd check}, which Nagios starts
 * once per host and check interval: most of such a call's time went into loading and verifying picocli's classes.
 * Those are Java 5 class files, which JDK 17's dynamic archive skips, so this one is a static archive: while the
 * training {@code hbd} runs, an {@code hbd check} against it lists the classes it loads
 * ({@code -XX:DumpLoadedClassList}), and {@code -Xshare:dump} archives them with the class path and options
 * {@code bin/hbd} gives those subcommands (it passes them in {@value #CLI_OPTIONS}).
 */
@Command(name = "cds", mixinStandardHelpOptions = true,
        description = "Write lib/hbd.jsa, a class-data sharing archive of the classes hbd loads while starting: "
                + "bin/hbd serve maps it instead of loading them again, and starts in about a quarter less time; and "
                + "lib/cli.jsa, the same for the other subcommands (hbd check starts in about a third less time). The "
                + "build writes them; write them again after an upgrade of Java or a move of the installation (an "
                + "archive that does not fit is ignored, never harmful).",
        footer = {"", "Starts hbd once on ports the system picks, with its files in a temporary directory, and stops "
                + "it (about 5 s). Needs write access to lib/.", Exit.HELP_FOOTER})
final class HbdCds implements java.util.concurrent.Callable<Integer> {
    static final String ARCHIVE = "hbd.jsa";
    static final String CLI_ARCHIVE = "cli.jsa";
    /** The environment variable in which bin/hbd passes the JVM options of its short subcommands. */
    static final String CLI_OPTIONS = "HB_CLI_JVM_OPTIONS";
    private static final long START_SECONDS = 60;
    private static final long CLI_SECONDS = 60;
    private static final String TRAINING_HOST = "cds-training";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path lib = Home.dir().resolve("lib");
        Path archive = lib.resolve(ARCHIVE);
        Path partial = lib.resolve("." + ARCHIVE + "." + ProcessHandle.current().pid());
        Path cliArchive = lib.resolve(CLI_ARCHIVE);
        Path cliPartial = lib.resolve("." + CLI_ARCHIVE + "." + ProcessHandle.current().pid());
        if (!Files.isDirectory(lib.resolve("hbd"))) {
            err.println("hbd: no hbd runtime in " + lib + " (lib/hbd/); run hbd cds with bin/hbd of an installation");
            return Exit.FAILURE;
        }
        if (!Files.isWritable(lib)) {
            err.println("hbd: cannot write " + archive + ": " + lib + " is not writable; run hbd cds as the "
                    + "installation's owner");
            return Exit.FAILURE;
        }
        Path work = Files.createTempDirectory("heartbeat-cds-");
        long started = System.nanoTime();
        try {
            String problem = train(work, partial, cliPartial);
            if (problem != null) {
                err.println("hbd: the training run " + problem + "; " + archive + " and " + cliArchive
                        + " are unchanged");
                return Exit.FAILURE;
            }
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(cliPartial, cliArchive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AccessDeniedException e) {
            err.println("hbd: cannot write " + e.getFile() + ": permission denied");
            return Exit.FAILURE;
        } finally {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(cliPartial);
            ScratchDaemon.deleteTree(work);
        }
        out.printf("wrote %s (%d MB) in %.1f s, for Java %s; bin/hbd serve uses it from its next start%n", archive,
                Files.size(archive) >> 20, (System.nanoTime() - started) / 1e9, System.getProperty("java.version"));
        out.printf("wrote %s (%d MB); the other subcommands, hbd check among them, use it from now on%n", cliArchive,
                Files.size(cliArchive) >> 20);
        return Exit.OK;
    }

    /**
     * Runs hbd once to write the archive to {@code partial}, and meanwhile an {@code hbd check} against it to write
     * the subcommands' archive to {@code cliPartial}; returns what went wrong, or null.
     */
    private static String train(Path work, Path partial, Path cliPartial) throws IOException, InterruptedException {
        Path config = Files.writeString(work.resolve("hb.yaml"), String.join("\n",
                "hb_port: 0", "hbd_port: 0", "ws_port: 0", "listen: 127.0.0.1",
                "pickfile: " + work.resolve("hb.pick"), "pidfile: " + work.resolve("hb.pid"),
                "logfile: " + work.resolve("hb.log"), "plugin_dir: " + work.resolve("plugins"),
                "history:", "  file: " + work.resolve("history.db"), "events:", "  dir: " + work.resolve("events"),
                "alerting:", "  file: " + work.resolve("alerts.db"), "outbox:", "  file: " + work.resolve("outbox.db"),
                ""));
        Path output = work.resolve("output.txt");
        List<String> jvm = new ArrayList<>(ScratchDaemon.jvmOptions(arg -> !arg.startsWith("-XX:SharedArchiveFile")
                && !arg.startsWith("-XX:ArchiveClassesAtExit") && !arg.startsWith("-Xshare")
                && !arg.startsWith("-Xlog:cds")));
        // the JVM lists the classes it cannot archive (old class versions, classes never linked) as warnings on
        // standard output: they go to a file of their own, read only when the archive is missing
        jvm.addAll(List.of("-XX:ArchiveClassesAtExit=" + partial, "-Xlog:cds*=off",
                "-Xlog:cds*=warning:file=" + work.resolve("cds.log")));
        ScratchDaemon hbd;
        try {
            hbd = ScratchDaemon.start(config, output, jvm, START_SECONDS);
        } catch (IOException e) {
            return e.getMessage();
        }
        exercise(hbd.udpPort(), hbd.httpPort());
        String cli = trainCli(work, hbd.httpPort(), cliPartial);
        // SIGTERM: the stop an operator's hbd stop makes, so its classes are archived too
        String stopped = hbd.stop();
        if (stopped != null) {
            return stopped;
        }
        if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
            Path log = work.resolve("cds.log");
            return "wrote no archive (exit status " + hbd.exitValue() + "; " + ScratchDaemon.lastLines(
                    Files.exists(log) && Files.size(log) > 0 ? log : output) + ")";
        }
        return cli;
    }

    /**
     * Writes the short subcommands' static archive to {@code partial}: an {@code hbd check} of the training host
     * lists the classes it loads, and a {@code -Xshare:dump} archives them. Both run with this JVM's class path,
     * which is theirs ({@code bin/hbd} gives every subcommand the same), and with their options from bin/hbd:
     * an archive is used only with the class path it was written for. Returns what went wrong, or null.
     */
    private static String trainCli(Path work, int httpPort, Path partial) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> options = new ArrayList<>();
        String given = System.getenv(CLI_OPTIONS);
        if (given != null && !given.isBlank()) {
            for (String option : given.strip().split("\\s+")) {
                if (!option.startsWith("-Xshare") && !option.startsWith("-XX:SharedArchiveFile")) {
                    options.add(option);
                }
            }
        }
        Path classes = work.resolve("cli.classlist");
        // as Nagios calls it: the daemon's address from a configuration file, so reading YAML is archived too
        Path config = Files.writeString(work.resolve("check.yaml"), "listen: 127.0.0.1\nhbd_port: " + httpPort + "\n");
        List<String> check = new ArrayList<>(List.of(java));
        check.addAll(options);
        check.addAll(List.of("-XX:DumpLoadedClassList=" + classes, "-Dheartbeat.home=" + Home.dir(), "-cp",
                System.getProperty("java.class.path"), Hbd.class.getName(), "check", "-c", config.toString(),
                TRAINING_HOST));
        // WARNING or CRITICAL (1, 2) would be an answer all the same: only the listing counts
        String problem = run(check, work.resolve("cli-check.txt"), HbdCheck.UNKNOWN);
        if (problem != null || !Files.isRegularFile(classes) || Files.size(classes) == 0) {
            return "of hbd check listed no classes (" + (problem != null ? problem
                    : ScratchDaemon.lastLines(work.resolve("cli-check.txt"))) + ")";
        }
        List<String> dump = new ArrayList<>(List.of(java));
        dump.addAll(options);
        dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classes, "-XX:SharedArchiveFile=" + partial,
                "-cp", System.getProperty("java.class.path")));
        Path dumped = work.resolve("cli-dump.txt");
        problem = run(dump, dumped, Exit.OK);
        if (problem != null || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
            return "wrote no archive for the subcommands (" + (problem != null ? problem + ": " : "")
                    + ScratchDaemon.lastLines(dumped) + ")";
        }
        return null;
    }

    /**
     * Runs a JVM to its end with its output in {@code output}; returns null when it ended with at most
     * {@code highestGood}, else the reason it failed.
     */
    private static String run(List<String> command, Path output, int highestGood)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(CLI_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "did not end within " + CLI_SECONDS + " s";
        }
        return p.exitValue() <= highestGood ? null : "exit status " + p.exitValue();
    }

    /**
     * What a new installation's first minutes do: a heartbeat from a new host, the pages and API calls a first
     * visitor and a monitoring system make. Their classes load now and go into the archive. A failure here only
     * leaves them out.
     */
    private static void exercise(int udpPort, int httpPort) {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(2000);
            byte[] heartbeat = Datagrams.encode(Heartbeat.of(TRAINING_HOST, 1, System.currentTimeMillis(), 10_000),
                    null);
            socket.send(new DatagramPacket(heartbeat, heartbeat.length, InetAddress.getLoopbackAddress(), udpPort));
            socket.receive(new DatagramPacket(new byte[1500], 1500));
        } catch (IOException e) {
            // no acknowledgement: the HTTP calls still run
        }
        for (String path : List.of("/api/status", "/api/hosts", "/api/hosts/" + TRAINING_HOST, "/api/events",
                "/api/check/" + TRAINING_HOST, "/metrics", "/live", "/no-such-page")) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + path).toURL()
                        .openConnection();
                c.setConnectTimeout(5000);
                c.setReadTimeout(5000);
                int status = c.getResponseCode();
                try (InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                    if (body != null) {
                        body.readAllBytes();
                    }
                }
                c.disconnect();
            } catch (IOException e) {
                // as above
            }
        }
    }
}
