package org.heartbeat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.heartbeat.config.ConfigException;
import org.heartbeat.config.ConfigProblem;
import org.heartbeat.config.ServerConfig;
import org.heartbeat.config.UserHome;
import org.heartbeat.protocol.HostKey;
import org.heartbeat.protocol.HostNames;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hbd}: the Heartbeat server. */
@Command(name = "hbd", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "The Heartbeat server: tracks the hosts that send it heartbeats, notices when one falls silent, "
                + "and serves the dashboard and the REST API.",
        subcommands = {Hbd.Serve.class, Hbd.Reload.class, Hbd.Stop.class, Hbd.Hostkey.class, HbdCheck.class,
            HbdUsers.Passwd.class, HbdUsers.Token.class, HbdAlerting.Notify.class, HbdAlerting.Alerts.class,
            HbdAlerting.Ack.class, HbdAlerting.Silence.class, HbdAlerting.Unsilence.class, HbdHostCommand.class,
            HbdForget.class, HbdCds.class},
        footer = {"", "Every subcommand reads the configuration (-c, default ~/.hb.yaml) and finds the running daemon"
                + " through the pidfile it names.", "", "Examples:", "  hbd serve -c ~/.hb.yaml -f -v",
                "  hbd reload", "  hbd hostkey web1", "  hbd check web1", "  hbd passwd alice",
                "  hbd token create alice", "  hbd notify", "  hbd silence web1 2h", Exit.HELP_FOOTER})
public final class Hbd implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /**
     * The command line for these arguments. When they begin with a subcommand's name, the tree is {@code hbd} and that
     * subcommand only: {@code hbd check} runs once per host and check interval under Nagios, {@code hbd serve}
     * counts against the start time, and building the models of all the other subcommands was the larger part of a
     * short command's time (docs/BENCHMARKS.md, "hbd check"). What it parses, prints and answers is the same either
     * way ({@code HbdTest} runs both for every subcommand).
     */
    static CommandLine commandLine(String... args) {
        if (args.length > 0) {
            for (Class<?> sub : Hbd.class.getAnnotation(Command.class).subcommands()) {
                if (args[0].equals(sub.getAnnotation(Command.class).name())) {
                    return only(sub);
                }
            }
        }
        return commandLine();
    }

    /** The whole command tree. */
    static CommandLine commandLine() {
        return configure(new CommandLine(new Hbd()));
    }

    /** {@code hbd} with one of its subcommands only. */
    static CommandLine only(Class<?> subcommand) {
        CommandLine.Model.CommandSpec root = CommandLine.Model.CommandSpec.create().name("hbd");
        root.addSubcommand(subcommand.getAnnotation(Command.class).name(), new CommandLine(subcommand));
        return configure(new CommandLine(root));
    }

    private static CommandLine configure(CommandLine cl) {
        withVersion(cl);
        cl.setExitCodeExceptionMapper(e -> Exit.FAILURE);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("hbd: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            // hbd check is a Nagios plugin, for which wrong usage is UNKNOWN
            return ex.getCommandLine().getCommand() instanceof HbdCheck ? HbdCheck.UNKNOWN : Exit.USAGE;
        });
        return cl;
    }

    /** Gives every subcommand, to the last level, the version its {@code -V} offers (picocli does not inherit it). */
    private static void withVersion(CommandLine cl) {
        cl.getCommandSpec().versionProvider(new Version());
        for (CommandLine sub : cl.getSubcommands().values()) {
            withVersion(sub);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed");
    }

    /** The options every subcommand shares: which configuration file. */
    static class ConfigOption {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE",
                description = "Configuration file (default: ~/.hb.yaml if it exists, else built-in defaults)")
        Path file;

        /** The file to read, or null for the built-in defaults. */
        Path resolve() {
            if (file != null) {
                return file.toAbsolutePath();
            }
            Path home = UserHome.dir().resolve(".hb.yaml");
            return Files.exists(home) ? home : null;
        }

        /** Reads and checks the configuration; prints every mistake and returns null when there are any. */
        ServerConfig load(PrintWriter err) {
            return load(err, null);
        }

        /**
         * Reads and checks the configuration; prints every mistake and returns null when there are any. The text read
         * goes to {@code text} (when not null), so that the runtime need not read the file again.
         */
        ServerConfig load(PrintWriter err, StringBuilder text) {
            Path path = resolve();
            try {
                ServerConfig config;
                if (path == null) {
                    config = ServerConfig.defaults();
                } else {
                    String content = readText(path);
                    config = ServerConfig.load(path, content);
                    if (text != null) {
                        text.append(content);
                    }
                }
                for (ConfigProblem w : config.warnings()) {
                    err.println("hbd: warning: " + path + ": " + w);
                }
                return config;
            } catch (ConfigException e) {
                for (ConfigProblem p : e.problems()) {
                    err.println("hbd: " + (path == null ? "" : path + ": ") + p);
                }
                return null;
            }
        }

        private static String readText(Path path) throws ConfigException {
            try {
                return Files.readString(path, java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new ConfigException(path, List.of(new ConfigProblem("", 0, "no such file")));
            } catch (IOException e) {
                throw new ConfigException(path, List.of(new ConfigProblem("", 0, "cannot read: " + e.getMessage())));
            }
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Start the server. Without -f it runs in the background, writes its pidfile and logs to its "
                    + "logfile; hbd serve returns once the ports are bound.",
            footer = {"", "Prints: Heartbeat daemon starting on UDP :50003, HTTP :50004, WS :50005 (the ports bound;"
                    + " HTTPS and WSS with tls_cert).",
                    Exit.HELP_FOOTER})
    static final class Serve implements Callable<Integer> {
        static final String READY = "Heartbeat daemon starting on ";
        /** How long the runtime may take to bind its ports and restore its state. */
        static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

        @CommandLine.Mixin
        ConfigOption config = new ConfigOption();

        @Option(names = {"-f", "--foreground"}, description = "Stay in the foreground and log to the terminal")
        boolean foreground;

        @Option(names = {"-v", "--verbose"}, description = "Log debug detail too")
        boolean verbose;

        @Option(names = "--check", description = "Only check the configuration and exit")
        boolean check;

        @Option(names = "--daemon-child", hidden = true)
        boolean daemonChild;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            StringBuilder text = new StringBuilder();
            ServerConfig c = config.load(err, text);
            if (c == null) {
                return Exit.USAGE;
            }
            Path file = config.resolve();
            if (check) {
                out.println((file == null ? "built-in defaults" : file) + ": OK (UDP " + c.hbPort() + ", HTTP"
                        + (c.tls().enabled() ? "S " : " ") + c.hbdPort() + (c.tls().enabled() ? ", WSS " : ", WS ")
                        + c.wsPort() + ", " + c.hosts().size() + " hosts configured)");
                return Exit.OK;
            }
            PidFile pidfile = new PidFile(c.pidfile());
            Optional<ProcessHandle> running = pidfile.running();
            if (running.isPresent() && running.get().pid() != ProcessHandle.current().pid()) {
                err.println("hbd: already running as pid " + running.get().pid() + " (pidfile " + c.pidfile()
                        + "); stop it with: hbd stop" + (file == null ? "" : " -c " + file));
                return Exit.FAILURE;
            }
            if (!foreground && !daemonChild) {
                return daemonize(c, file, out, err);
            }
            pidfile.claim();
            Map<String, String> p = runtimeProperties(c, file, text.toString());
            if (daemonChild) {
                p.put("heartbeat.logfile", c.logfile().toString());
                p.put("heartbeat.log.maxbytes", Long.toString(c.logMaxBytes()));
                p.put("heartbeat.log.keep", Integer.toString(c.logKeep()));
            }
            return run(p, c.tls().enabled(), out, err);
        }

        /** Starts the runtime, prints the ready line with the ports bound, and holds it until it stops. */
        private static int run(Map<String, String> properties, boolean https, PrintWriter out, PrintWriter err) {
            Launcher launcher;
            Launcher.Ready ready;
            try {
                launcher = Launcher.start("hbd", properties);
            } catch (Launcher.StartupFailure e) {
                err.println("hbd: " + e.getMessage());
                return Exit.FAILURE;
            }
            try {
                ready = launcher.awaitReady(STARTUP_TIMEOUT);
            } catch (Launcher.StartupFailure e) {
                err.println("hbd: " + e.getMessage() + "; stopping");
                err.flush();
                launcher.close();
                return Exit.FAILURE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                launcher.close();
                return Exit.FAILURE;
            }
            String secure = https ? "S" : "";
            out.println(READY + "UDP :" + ready.udpPort() + ", HTTP" + secure + " :" + ready.httpPort() + ", WS" + secure
                    + " :" + ready.wsPort());
            out.flush();
            launcher.handleHangup();
            try {
                launcher.awaitStop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Exit.OK;
        }

        private Map<String, String> runtimeProperties(ServerConfig c, Path file, String text) throws IOException {
            Map<String, String> p = new LinkedHashMap<>();
            if (file != null) {
                p.put("heartbeat.config", file.toString());
                p.put(org.heartbeat.runtime.Launch.CONFIG_TEXT, text);
            }
            p.put("heartbeat.verbose", Boolean.toString(verbose));
            Path plugins = c.pluginDir() != null ? c.pluginDir() : Home.dir().resolve("plugins").resolve("hbd");
            Files.createDirectories(plugins);
            p.put("felix.fileinstall.dir", plugins.toAbsolutePath().toString());
            return p;
        }

        private int daemonize(ServerConfig c, Path file, PrintWriter out, PrintWriter err) {
            List<String> args = new ArrayList<>(List.of("serve", "--daemon-child"));
            if (file != null) {
                args.addAll(List.of("-c", file.toString()));
            }
            if (verbose) {
                args.add("-v");
            }
            try {
                Daemon.Started started = Daemon.startAndAwait(Daemon.command(Hbd.class, args), c.logfile(), READY,
                        Duration.ofSeconds(60));
                out.println(started.line());
                out.println("hbd is running in the background as pid " + started.pid() + "; log: " + c.logfile());
                return Exit.OK;
            } catch (IOException e) {
                err.println("hbd: the daemon did not start: " + e.getMessage() + "; see " + c.logfile());
                return Exit.FAILURE;
            }
        }
    }

    @Command(name = "reload", mixinStandardHelpOptions = true,
            description = "Make the running daemon read its configuration again. The file is checked first: with "
                    + "mistakes nothing is sent and the daemon keeps its configuration. No restart, no state lost.",
            footer = {"", "Sends SIGHUP to the pid in the pidfile, which also reopens the logfile.", Exit.HELP_FOOTER})
    static final class Reload implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config = new ConfigOption();

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter err = spec.commandLine().getErr();
            ServerConfig c = config.load(err);
            if (c == null) {
                err.println("hbd: not reloading: the running daemon keeps its configuration");
                return Exit.USAGE;
            }
            Optional<ProcessHandle> daemon = new PidFile(c.pidfile()).running();
            if (daemon.isEmpty()) {
                err.println("hbd: no running daemon found through pidfile " + c.pidfile());
                return Exit.FAILURE;
            }
            // a daemon in the background writes its log file; one in the foreground (systemd) its terminal, and then
            // the file, if any, is older than the daemon
            Path logfile = c.logfile();
            long logSize = -1;
            try {
                java.time.Instant started = daemon.get().info().startInstant().orElse(java.time.Instant.EPOCH);
                if (logfile != null && Files.exists(logfile)
                        && !Files.getLastModifiedTime(logfile).toInstant().isBefore(started)) {
                    logSize = Files.size(logfile);
                }
            } catch (IOException e) {
                // no log to read the outcome from: said below
            }
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(daemon.get().pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                err.println("hbd: could not signal pid " + daemon.get().pid());
                return Exit.FAILURE;
            }
            Path file = config.resolve();
            PrintWriter out = spec.commandLine().getOut();
            out.println("hbd (pid " + daemon.get().pid() + ") is reloading "
                    + (file == null ? "its configuration" : file));
            out.flush();
            if (logSize < 0) {
                out.println("the daemon logs to its terminal (or journal): it says there whether it took the"
                        + " configuration");
                return Exit.OK;
            }
            return outcome(logfile, logSize, out, err);
        }

        /**
         * What the daemon said of the reload, read from its log file (a daemon in the foreground logs to its
         * terminal instead: then this says where to look). Checks the daemon makes beyond this command's (the keys
         * of installed notification channels) can refuse a reload; their reasons are printed.
         */
        static int outcome(Path logfile, long from, PrintWriter out, PrintWriter err) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                String added = "";
                try {
                    if (logfile != null && Files.size(logfile) > from) {
                        try (var ch = java.nio.channels.FileChannel.open(logfile)) {
                            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) Math.min(1 << 20,
                                    ch.size() - from));
                            ch.read(b, from);
                            added = new String(b.array(), 0, b.position(), java.nio.charset.StandardCharsets.UTF_8);
                        }
                    }
                } catch (IOException e) {
                    break;
                }
                if (added.contains("reloaded configuration") || added.contains("reload refused")
                        || added.contains("reload: cannot")) {
                    boolean refused = false;
                    for (String line : added.split("\n")) {
                        if (line.contains("reload refused") || line.contains("reload: cannot")) {
                            err.println("hbd: " + line.replaceFirst("^\\S+ \\S+ \\S+\\s+", ""));
                            refused = true;
                        }
                    }
                    if (refused) {
                        return Exit.FAILURE;
                    }
                    out.println("reloaded");
                    return Exit.OK;
                }
                Thread.sleep(50);
            }
            out.println("sent; the daemon's log says whether it took the configuration" + (logfile == null ? ""
                    : " (" + logfile + ", or the terminal of a daemon in the foreground)"));
            return Exit.OK;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the running daemon; it saves its state first.", footer = Exit.HELP_FOOTER)
    static final class Stop implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOption config = new ConfigOption();

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            ServerConfig c = config.load(spec.commandLine().getErr());
            if (c == null) {
                return Exit.USAGE;
            }
            Optional<ProcessHandle> daemon = new PidFile(c.pidfile()).running();
            if (daemon.isEmpty()) {
                out.println("hbd is not running (no live process in pidfile " + c.pidfile() + ")");
                return Exit.OK;
            }
            ProcessHandle p = daemon.get();
            p.destroy();
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                spec.commandLine().getErr().println("hbd: pid " + p.pid() + " did not stop within 30 s");
                return Exit.FAILURE;
            }
            out.println("hbd (pid " + p.pid() + ") stopped");
            return Exit.OK;
        }
    }

    @Command(name = "hostkey", mixinStandardHelpOptions = true,
            description = "Make a new 256-bit key for a host and print what to put in the server's configuration and "
                    + "how to give it to the client.",
            footer = {"", "With a key in the server's hosts: section, the host must sign its datagrams with it.",
                    Exit.HELP_FOOTER})
    static final class Hostkey implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The host's name, as it reports (hbc -n, default its hostname)")
        String name;

        @Option(names = {"-o", "--output"}, paramLabel = "KEYFILE",
                description = "Also write the key to this file (mode 600) for the client's -k")
        Path output;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            String problem = HostNames.problem(name);
            if (problem != null) {
                spec.commandLine().getErr().println("hbd: " + problem);
                return Exit.USAGE;
            }
            HostKey key = HostKey.generate();
            if (output != null) {
                try {
                    KeyFiles.write(output, name, key);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    spec.commandLine().getErr().println("hbd: " + output + " exists; a key file is never overwritten");
                    return Exit.FAILURE;
                } catch (IOException e) {
                    spec.commandLine().getErr().println("hbd: cannot write " + output + ": " + e.getMessage());
                    return Exit.FAILURE;
                }
            }
            out.println("# On the server, in ~/.hb.yaml (then: hbd reload):");
            out.println("hosts:");
            out.println("  " + yamlKey(name) + ":");
            out.println("    key: " + key.toBase64());
            out.println();
            out.println("# On " + name + ", keep the key in a file only the client's user can read:");
            if (output != null) {
                out.println("#   copy " + output.toAbsolutePath() + " there (written, mode 600)");
            } else {
                out.println("#   umask 077; echo '" + key.toBase64() + "' > /etc/heartbeat/" + name + ".key");
            }
            out.println("# and start the client with it:");
            out.println("#   hbc -k /etc/heartbeat/" + name + ".key -n " + name + " SERVER");
            return Exit.OK;
        }

        private static String yamlKey(String name) {
            return name.matches("[A-Za-z0-9._-]+") ? name
                    : "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
