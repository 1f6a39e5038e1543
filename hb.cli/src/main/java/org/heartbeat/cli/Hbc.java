package org.heartbeat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.heartbeat.config.ClientConfig;
import org.heartbeat.config.ConfigException;
import org.heartbeat.config.ConfigProblem;
import org.heartbeat.config.UserHome;
import org.heartbeat.protocol.HostKey;
import org.heartbeat.protocol.HostNames;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hbc}: the Heartbeat client. */
@Command(name = "hbc", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "The Heartbeat client: sends a heartbeat to each SERVER every interval, and the values of the "
                + "plugins its configuration lists.",
        footer = {"", "Options override the configuration file. With no file and no options hbc sends heartbeats only.",
                "", "Examples:", "  hbc your-server.example.com", "  hbc -c ~/.hbc.yaml your-server.example.com",
                "  hbc -d -b -c ~/.hbc.yaml your-server.example.com", "  hbc -k /etc/heartbeat/web1.key a.example.com "
                        + "b.example.com", Exit.HELP_FOOTER})
public final class Hbc implements Callable<Integer> {
    @Parameters(paramLabel = "SERVER", arity = "0..*",
            description = "Server to report to: a name or address, optionally with :PORT ([v6]:PORT); several "
                    + "servers each get every heartbeat (default: servers: in the configuration)")
    List<String> servers = new ArrayList<>();

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: ~/.hbc.yaml if it exists)")
    Path config;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Server UDP port (default 50003)")
    Integer port;

    @Option(names = {"-i", "--interval"}, paramLabel = "SECONDS", description = "Seconds between heartbeats (default 20)")
    Double interval;

    @Option(names = {"-b", "--boot"}, description = "Send a boot message first, so the server records that this host started")
    boolean boot;

    @Option(names = {"-d", "--daemon"}, description = "Run in the background, logging to syslog (through logger)")
    boolean daemon;

    @Option(names = {"-k", "--key"}, paramLabel = "KEYFILE", description = "Sign every datagram with the key in this file (hbd hostkey makes one)")
    Path keyFile;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "Report as NAME (default: this machine's hostname)")
    String name;

    @Option(names = {"-v", "--verbose"}, description = "Log every heartbeat and ACK")
    boolean verbose;

    @Option(names = "--daemon-child", hidden = true)
    boolean daemonChild;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new Hbc());
        cl.setExitCodeExceptionMapper(e -> Exit.FAILURE);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("hbc: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try 'hbc --help'.");
            return Exit.USAGE;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Path file = config != null ? config.toAbsolutePath() : defaultFile();
        ClientConfig c;
        try {
            c = file == null ? ClientConfig.defaults() : ClientConfig.load(file);
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                err.println("hbc: " + file + ": " + p);
            }
            return Exit.USAGE;
        }
        for (ConfigProblem w : c.warnings()) {
            err.println("hbc: warning: " + file + ": " + w);
        }
        List<String> targets = servers.isEmpty() ? c.servers() : servers;
        String problem = problem(targets);
        if (problem != null) {
            err.println("hbc: " + problem);
            err.println("Try 'hbc --help'.");
            return Exit.USAGE;
        }
        Path key = keyFile != null ? keyFile : c.keyFile();
        if (key != null) {
            try {
                HostKey.read(key);
            } catch (IOException e) {
                err.println("hbc: cannot use key file: " + e.getMessage());
                return Exit.USAGE;
            }
        }
        if (daemon && !daemonChild) {
            return daemonize(err);
        }
        Map<String, String> p = new LinkedHashMap<>();
        if (file != null) {
            p.put("heartbeat.config", file.toString());
        }
        p.put("heartbeat.client.servers", String.join(",", targets));
        if (port != null) {
            p.put("heartbeat.client.port", port.toString());
        }
        if (interval != null) {
            p.put("heartbeat.client.interval", interval.toString());
        }
        if (name != null) {
            p.put("heartbeat.client.name", name);
        }
        if (keyFile != null) {
            p.put("heartbeat.client.keyfile", keyFile.toAbsolutePath().toString());
        }
        p.put("heartbeat.client.boot", Boolean.toString(boot));
        p.put("heartbeat.verbose", Boolean.toString(verbose));
        Path plugins = c.pluginDir() != null ? c.pluginDir() : Home.dir().resolve("plugins").resolve("hbc");
        Files.createDirectories(plugins);
        p.put("felix.fileinstall.dir", plugins.toAbsolutePath().toString());
        try (Launcher launcher = Launcher.start("hbc", p)) {
            launcher.handleHangup();
            launcher.awaitStop();
        } catch (Launcher.StartupFailure e) {
            err.println("hbc: " + e.getMessage());
            return Exit.FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Exit.OK;
    }

    private String problem(List<String> targets) {
        if (targets.isEmpty()) {
            return "no server given: hbc SERVER, or servers: in the configuration file";
        }
        if (port != null && (port < 1 || port > 65535)) {
            return "--port must be between 1 and 65535, got " + port;
        }
        if (interval != null && (interval < 1 || interval > 86_400 || interval.isNaN())) {
            return "--interval must be between 1 and 86400 seconds, got " + interval;
        }
        if (name != null && HostNames.problem(name) != null) {
            return "--name: " + HostNames.problem(name);
        }
        return null;
    }

    private static Path defaultFile() {
        Path home = UserHome.dir().resolve(".hbc.yaml");
        return Files.exists(home) ? home : null;
    }

    /** Runs hbc again without -d, in the background, its output piped into logger(1) and so into syslog. */
    private int daemonize(PrintWriter err) throws IOException {
        String logger = Daemon.onPath("logger");
        if (logger == null) {
            err.println("hbc: -d logs to syslog through the logger command, which is not installed");
            return Exit.FAILURE;
        }
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        args.add(0, "--daemon-child");
        List<ProcessBuilder> pipeline = List.of(
                new ProcessBuilder(Daemon.command(Hbc.class, args))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectErrorStream(true),
                new ProcessBuilder(logger, "-t", "hbc").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD));
        List<Process> processes = ProcessBuilder.startPipeline(pipeline);
        spec.commandLine().getOut().println("hbc is running in the background as pid " + processes.get(0).pid()
                + ", logging to syslog as \"hbc\"");
        return Exit.OK;
    }
}
