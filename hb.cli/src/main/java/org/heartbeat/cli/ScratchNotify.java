package org.heartbeat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.heartbeat.config.ServerConfig;
import org.heartbeat.config.TokenFile;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code hbd notify} when no daemon runs: starts a short-lived hbd on the operator's configuration with what a test
 * message needs (channels, users, the plugin directory with the channel bundles) and nothing that could notify on its
 * own (no {@code hosts:}, {@code thresholds:} or {@code peers:}), on ports the system picks and with scratch files,
 * asks it to send, and stops it. With users, it acts through a token made for the run in its scratch token file.
 */
final class ScratchNotify {
    /** How long the channel bundles get to come up in the scratch hbd (FileInstall installs them after start). */
    static final Duration CHANNELS_UP = Duration.ofSeconds(15);

    private ScratchNotify() {
    }

    static List<Map<String, Object>> send(DaemonApi api, String body, PrintWriter out) throws DaemonApi.Failure {
        StringWriter problems = new StringWriter();
        ServerConfig config = api.config.load(new PrintWriter(problems));
        if (config == null) {
            throw new DaemonApi.Failure("configuration: " + problems.toString().strip().replace("hbd: ", ""));
        }
        if (config.notificationChannels().isEmpty()) {
            return List.of();
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("heartbeat-notify-");
            Map<String, Object> yaml = scratchConfig(config, api.config.resolve(), work);
            String token = null;
            if (!config.users().isEmpty()) {
                TokenFile tokens = new TokenFile(work.resolve("tokens"));
                token = tokens.create(config.users().keySet().iterator().next(), "hbd notify", Clock.systemUTC())
                        .secret();
                yaml.put("tokenfile", work.resolve("tokens").toString());
            }
            Path file = work.resolve("hb.yaml");
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            Files.writeString(file, new Yaml(options).dump(yaml), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            out.println("no daemon runs: sending through a short-lived hbd on this configuration");
            out.flush();
            try (ScratchDaemon hbd = ScratchDaemon.start(file, work.resolve("output.txt"),
                    ScratchDaemon.jvmOptions(a -> true), 60)) {
                DaemonApi scratch = new DaemonApi();
                scratch.url = URI.create("http://127.0.0.1:" + hbd.httpPort());
                scratch.token = token;
                scratch.timeout = api.timeout;
                awaitChannels(scratch, config.notificationChannels().size());
                return scratch.call("POST", "/api/notify", body).list();
            }
        } catch (IOException e) {
            throw new DaemonApi.Failure("no daemon runs, and a short-lived one " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DaemonApi.Failure("interrupted");
        } finally {
            if (work != null) {
                ScratchDaemon.deleteTree(work);
            }
        }
    }

    /** Waits until every channel's bundle is active, or {@link #CHANNELS_UP} passed (a type without a bundle). */
    private static void awaitChannels(DaemonApi scratch, int channels) throws DaemonApi.Failure,
            InterruptedException {
        long deadline = System.nanoTime() + CHANNELS_UP.toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> status = scratch.call("GET", "/api/channels", null).list();
            if (status.size() >= channels && status.stream().allMatch(c -> Boolean.TRUE.equals(c.get("available")))) {
                return;
            }
            Thread.sleep(100);
        }
    }

    /** The operator's configuration with the scratch run's ports and files, and nothing that notifies by itself. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> scratchConfig(ServerConfig config, Path source, Path work) throws IOException {
        Map<String, Object> yaml = new LinkedHashMap<>();
        if (source != null) {
            Object loaded = new Yaml(new LoaderOptions()).load(Files.readString(source, StandardCharsets.UTF_8));
            if (loaded instanceof Map<?, ?> m) {
                yaml.putAll((Map<String, Object>) m);
            }
        }
        for (String key : List.of("hosts", "thresholds", "peers", "peer_name", "peer_interval", "peer_key", "listen",
                "require_auth")) {
            yaml.remove(key);
        }
        yaml.put("hb_port", 0);
        yaml.put("hbd_port", 0);
        yaml.put("ws_port", 0);
        yaml.put("listen", "127.0.0.1");
        yaml.put("pickfile", work.resolve("hb.pick").toString());
        yaml.put("pidfile", work.resolve("hb.pid").toString());
        yaml.put("logfile", work.resolve("hb.log").toString());
        yaml.put("plugin_dir", config.pluginDir() == null ? Home.dir().resolve("plugins/hbd").toString()
                : config.pluginDir().toString());
        yaml.put("history", Map.of("file", work.resolve("history.db").toString()));
        yaml.put("events", Map.of("dir", work.resolve("events").toString()));
        Map<String, Object> alerting = new LinkedHashMap<>();
        if (yaml.get("alerting") instanceof Map<?, ?> a) {
            alerting.putAll((Map<String, Object>) a);
        }
        alerting.put("file", work.resolve("alerts.db").toString());
        yaml.put("alerting", alerting);
        Map<String, Object> outbox = new LinkedHashMap<>();
        if (yaml.get("outbox") instanceof Map<?, ?> o) {
            outbox.putAll((Map<String, Object>) o);
        }
        outbox.put("file", work.resolve("outbox.db").toString());
        yaml.put("outbox", outbox);
        return yaml;
    }
}
