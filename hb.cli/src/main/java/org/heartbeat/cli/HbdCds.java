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
import java.util.stream.Stream;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code hbd cds}: writes the class-data sharing archives that {@code bin/hbd} maps, so the classes in them are
 * neither parsed nor verified again at every start:
 * <ul>
 * <li>{@code lib/base.jsa}, a static archive of the classes the JVM's own class loaders load: Java's, picocli's,
 * the command line's and the framework launcher's. Every {@code hbd} command maps it. picocli's classes are Java 5
 * class files, which only a static archive can hold on JDK 17; loading and verifying them was most of the time of a
 * short command such as {@code hbd check}, which Nagios starts once per host and check interval.</li>
 * <li>{@code lib/hbd.jsa}, a dynamic archive on top of it with what {@code hbd serve} loads besides, the bundles'
 * classes above all; {@code hbd serve} maps both.</li>
 * </ul>
 * Together they take about a quarter off {@code hbd serve}'s start and a third off {@code hbd check}
 * (docs/BENCHMARKS.md).
 *
 * <p>They are written by training runs: this command starts {@code hbd serve} as a child, with the same Java, JVM
 * options and class path, on ports the system picks, with every file in a temporary directory; sends it a heartbeat,
 * asks its HTTP API what a first visitor would, runs an {@code hbd check} against it as Nagios does, and stops it. The
 * first run lists the classes loaded ({@code -XX:DumpLoadedClassList}), by {@code hbd serve} and by the check, and
 * {@code -Xshare:dump} writes the static archive from the lists; the second run maps it and writes the dynamic one as
 * it exits ({@code -XX:ArchiveClassesAtExit}). Each replaces its file in one rename, so a running {@code hbd} keeps
 * what it mapped. Archives fit one Java build and one installation directory: the JVM ignores ones that do not (after
 * a JDK upgrade or a move), and the commands start as they would without.
 */
@Command(name = "cds", mixinStandardHelpOptions = true,
        description = "Write lib/base.jsa and lib/hbd.jsa, class-data sharing archives of the classes hbd loads "
                + "while starting: bin/hbd maps them instead of loading those again, so hbd serve starts in about a "
                + "quarter less time and hbd check in about a third less. The build writes them; write them again "
                + "after an upgrade of Java or a move of the installation (an archive that does not fit is ignored, "
                + "never harmful).",
        footer = {"", "Starts hbd twice on ports the system picks, with its files in a temporary directory, runs an "
                + "hbd check against it, and stops it (about 10 s). Needs write access to lib/.", Exit.HELP_FOOTER})
final class HbdCds implements java.util.concurrent.Callable<Integer> {
    /** The dynamic archive: what {@code hbd serve} loads on top of {@link #BASE}. */
    static final String ARCHIVE = "hbd.jsa";
    /** The static archive: what the JVM's class loaders load for every command. */
    static final String BASE = "base.jsa";
    private static final long START_SECONDS = 60;
    private static final long RUN_SECONDS = 120;
    private static final String TRAINING_HOST = "cds-training";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path lib = Home.dir().resolve("lib");
        Path archive = lib.resolve(ARCHIVE);
        Path base = lib.resolve(BASE);
        Path partial = lib.resolve("." + ARCHIVE + "." + ProcessHandle.current().pid());
        Path basePartial = lib.resolve("." + BASE + "." + ProcessHandle.current().pid());
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
            String problem = train(work, basePartial, partial);
            if (problem != null) {
                err.println("hbd: the training run " + problem + "; " + base + " and " + archive + " are unchanged");
                return Exit.FAILURE;
            }
            // the dynamic archive names no file of its base: bin/hbd gives both, base first
            Files.move(basePartial, base, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AccessDeniedException e) {
            err.println("hbd: cannot write " + e.getFile() + ": permission denied");
            return Exit.FAILURE;
        } finally {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(basePartial);
            ScratchDaemon.deleteTree(work);
        }
        out.printf("wrote %s (%d MB) in %.1f s, for Java %s; bin/hbd serve uses it from its next start%n", archive,
                Files.size(archive) >> 20, (System.nanoTime() - started) / 1e9, System.getProperty("java.version"));
        out.printf("wrote %s (%d MB), which every hbd command maps from now on, hbd check among them%n", base,
                Files.size(base) >> 20);
        return Exit.OK;
    }

    /**
     * The two training runs: the first lists the classes for the static archive, written to {@code basePartial}; the
     * second maps it and writes the dynamic archive to {@code partial}. Returns what went wrong, or null.
     */
    private static String train(Path work, Path basePartial, Path partial) throws IOException, InterruptedException {
        Path config = Files.writeString(work.resolve("hb.yaml"), String.join("\n",
                "hb_port: 0", "hbd_port: 0", "ws_port: 0", "listen: 127.0.0.1",
                "pickfile: " + work.resolve("hb.pick"), "pidfile: " + work.resolve("hb.pid"),
                "logfile: " + work.resolve("hb.log"), "plugin_dir: " + work.resolve("plugins"),
                "history:", "  file: " + work.resolve("history.db"), "events:", "  dir: " + work.resolve("events"),
                "alerting:", "  file: " + work.resolve("alerts.db"), "outbox:", "  file: " + work.resolve("outbox.db"),
                ""));
        List<String> serveOptions = ScratchDaemon.jvmOptions(arg -> !arg.startsWith("-XX:SharedArchiveFile")
                && !arg.startsWith("-XX:ArchiveClassesAtExit") && !arg.startsWith("-Xshare")
                && !arg.startsWith("-Xlog:cds"));
        // the JVM lists the classes it cannot archive (old class versions, classes never linked, classes of
        // lambda forms it cannot find) as warnings on standard output: they go to a file of their own, read only
        // when an archive is missing
        List<String> quiet = List.of("-Xlog:cds*=off", "-Xlog:cds*=warning:file=" + work.resolve("cds.log"));

        Path serveClasses = work.resolve("serve.classlist");
        Path checkClasses = work.resolve("check.classlist");
        List<String> first = new ArrayList<>(serveOptions);
        first.add("-XX:DumpLoadedClassList=" + serveClasses);
        String problem = runServe(config, work.resolve("first.txt"), first, port -> listCheckClasses(work, port,
                checkClasses));
        if (problem != null) {
            return problem;
        }
        if (!Files.isRegularFile(serveClasses) || Files.size(serveClasses) == 0) {
            return "of hbd serve listed no classes (" + ScratchDaemon.lastLines(work.resolve("first.txt")) + ")";
        }
        Path classes = work.resolve("base.classlist");
        try (var lines = Stream.concat(Files.lines(serveClasses), Files.lines(checkClasses))) {
            Files.write(classes, (Iterable<String>) lines.distinct()::iterator);
        }
        List<String> dump = new ArrayList<>(List.of(java()));
        dump.addAll(serveOptions);
        dump.addAll(quiet);
        dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classes,
                "-XX:SharedArchiveFile=" + basePartial, "-cp", System.getProperty("java.class.path")));
        problem = run(dump, work.resolve("dump.txt"), Exit.OK);
        if (problem != null || !Files.isRegularFile(basePartial) || Files.size(basePartial) == 0) {
            return "wrote no static archive (" + (problem != null ? problem + ": " : "")
                    + ScratchDaemon.lastLines(work.resolve("dump.txt")) + ")";
        }

        List<String> second = new ArrayList<>(serveOptions);
        second.add("-XX:SharedArchiveFile=" + basePartial);
        second.add("-XX:ArchiveClassesAtExit=" + partial);
        second.addAll(quiet);
        problem = runServe(config, work.resolve("second.txt"), second, port -> null);
        if (problem != null) {
            return problem;
        }
        if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
            Path log = work.resolve("cds.log");
            return "wrote no dynamic archive (" + ScratchDaemon.lastLines(Files.exists(log) && Files.size(log) > 0
                    ? log : work.resolve("second.txt")) + ")";
        }
        return null;
    }

    /** What else a training run does while hbd runs, given its HTTP port; returns what went wrong, or null. */
    private interface Meanwhile {
        String run(int httpPort) throws IOException, InterruptedException;
    }

    /**
     * Starts hbd with these JVM options, gives it a first visitor's traffic and {@code meanwhile}, and stops it as
     * {@code hbd stop} would (SIGTERM), so the classes of stopping are listed or archived too. Returns what went
     * wrong, or null.
     */
    private static String runServe(Path config, Path output, List<String> jvm, Meanwhile meanwhile)
            throws IOException, InterruptedException {
        ScratchDaemon hbd;
        try {
            hbd = ScratchDaemon.start(config, output, jvm, START_SECONDS);
        } catch (IOException e) {
            return e.getMessage();
        }
        exercise(hbd.udpPort(), hbd.httpPort());
        String problem = meanwhile.run(hbd.httpPort());
        String stopped = hbd.stop();
        return stopped != null ? stopped : problem;
    }

    /**
     * Runs {@code hbd check} of the training host as Nagios would (the daemon's address from a configuration file),
     * listing the classes it loads into {@code classes}; returns what went wrong, or null.
     */
    private static String listCheckClasses(Path work, int httpPort, Path classes)
            throws IOException, InterruptedException {
        Path config = Files.writeString(work.resolve("check.yaml"), "listen: 127.0.0.1\nhbd_port: " + httpPort + "\n");
        List<String> check = new ArrayList<>(List.of(java(), "-XX:DumpLoadedClassList=" + classes,
                "-Dheartbeat.home=" + Home.dir(), "-cp", System.getProperty("java.class.path"), Hbd.class.getName(),
                "check", "-c", config.toString(), TRAINING_HOST));
        Path output = work.resolve("check.txt");
        // WARNING or CRITICAL (1, 2) would be an answer all the same: only the listing counts
        String problem = run(check, output, HbdCheck.UNKNOWN);
        if (problem != null || !Files.isRegularFile(classes) || Files.size(classes) == 0) {
            return "of hbd check listed no classes (" + (problem != null ? problem + ": " : "")
                    + ScratchDaemon.lastLines(output) + ")";
        }
        return null;
    }

    /** This JVM's java command, for the JVMs of the training. */
    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Runs a JVM to its end with its output in {@code output}; returns null when it ended with at most
     * {@code highestGood}, else the reason it failed.
     */
    private static String run(List<String> command, Path output, int highestGood)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "did not end within " + RUN_SECONDS + " s";
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
