package org.heartbeat.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.heartbeat.protocol.HostKey;
import org.heartbeat.protocol.HostNames;

/**
 * The server's configuration, {@code ~/.hb.yaml}. Every key, its default and its meaning are listed in the
 * README's server reference. {@link #load(Path)} refuses a file with mistakes, naming each with its key
 * and line; it accepts unknown keys with a warning in {@link #warnings()}.
 */
public record ServerConfig(
        Path source,
        String listen,
        int hbPort,
        int hbdPort,
        int wsPort,
        double interval,
        double grace,
        Path pickfile,
        Path pidfile,
        Path logfile,
        long logMaxBytes,
        int logKeep,
        boolean requireAuth,
        double authWindow,
        int maxHosts,
        double forgetAfter,
        double saveInterval,
        Path pluginDir,
        HistoryConfig history,
        EventsConfig events,
        double maxInterval,
        Map<String, HostConfig> hosts,
        Map<String, ChannelConfig> notificationChannels,
        Map<String, UserConfig> users,
        String defaultOwner,
        Path tokenfile,
        boolean metricsPublic,
        double sessionIdleTimeout,
        String console,
        ThresholdsConfig thresholds,
        AlertingConfig alerting,
        OutboxConfig outbox,
        PeersConfig peers,
        TlsConfig tls,
        List<ConfigProblem> warnings) {

    public static final int DEFAULT_HB_PORT = 50003;
    public static final int DEFAULT_HBD_PORT = 50004;
    public static final int DEFAULT_WS_PORT = 50005;
    public static final double DEFAULT_INTERVAL = 20;
    public static final double DEFAULT_GRACE = 2;
    public static final double MIN_INTERVAL = 1;
    public static final double MAX_INTERVAL = 86_400;
    /** The longest interval a client may announce, unless {@code max_interval} says otherwise. */
    public static final double DEFAULT_MAX_INTERVAL = 86_400;
    /** How long a browser session lasts without a request, unless {@code session_idle_timeout} says otherwise. */
    public static final double DEFAULT_SESSION_IDLE_TIMEOUT = 1800;
    /** Who may open the runtime console ({@code console:}): {@code off}, {@code localhost} or {@code on}. */
    public static final java.util.Set<String> CONSOLE_MODES = java.util.Set.of("off", "localhost", "on");
    /** The console's default: only connections from this machine. */
    public static final String DEFAULT_CONSOLE = "localhost";

    public ServerConfig {
        hosts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        notificationChannels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(notificationChannels));
        users = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(users));
        warnings = List.copyOf(warnings);
    }

    /** The built-in defaults, used when there is no configuration file. */
    public static ServerConfig defaults() {
        try {
            return from(null, YamlFile.read(null, new Problems()), new Problems());
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads and checks a configuration file. */
    public static ServerConfig load(Path file) throws ConfigException {
        Problems problems = new Problems();
        ServerConfig config = from(file, YamlFile.read(file, problems), problems);
        if (config.hasSecrets() && YamlFile.readableByOthers(file)) {
            problems.warning("", 0, "holds secrets but other users may read it; run: chmod 600 " + file);
            config = config.withWarnings(problems.warnings());
        }
        return config;
    }

    /**
     * Checks configuration text that was read from {@code file} (by the launcher, which hands the runtime what it
     * read so the file is read once); mistakes name the file.
     */
    public static ServerConfig load(Path file, String text) throws ConfigException {
        Problems problems = new Problems();
        ServerConfig config = from(file, YamlFile.parse(file, text, problems), problems);
        if (config.hasSecrets() && file != null && YamlFile.readableByOthers(file)) {
            problems.warning("", 0, "holds secrets but other users may read it; run: chmod 600 " + file);
            config = config.withWarnings(problems.warnings());
        }
        return config;
    }

    /** Reads and checks configuration text (for tests and for {@code serve --check} of piped input). */
    public static ServerConfig parse(String yaml) throws ConfigException {
        Problems problems = new Problems();
        return from(null, YamlFile.parse(null, yaml, problems), problems);
    }

    private static ServerConfig from(Path file, Section root, Problems problems) throws ConfigException {
        String listen = root.string("listen", "");
        int hbPort = root.port("hb_port", DEFAULT_HB_PORT);
        int hbdPort = root.port("hbd_port", DEFAULT_HBD_PORT);
        int wsPort = root.port("ws_port", DEFAULT_WS_PORT);
        double interval = root.seconds("interval", DEFAULT_INTERVAL, MIN_INTERVAL, MAX_INTERVAL);
        double grace = root.seconds("grace", DEFAULT_GRACE, 0, MAX_INTERVAL);
        Path pickfile = root.path("pickfile", "~/.hb.pick");
        Path pidfile = root.path("pidfile", "~/.hb.pid");
        Path logfile = root.path("logfile", "~/.hb.log");
        long logMaxBytes = (long) root.integer("log_max_size_mb", 10, 0, 100_000) * 1024 * 1024;
        int logKeep = root.integer("log_keep", 5, 0, 1000);
        boolean requireAuth = root.bool("require_auth", false);
        double authWindow = root.seconds("auth_window", 300, 1, 86_400);
        int maxHosts = root.integer("max_hosts", 10_000, 1, 10_000_000);
        double forgetAfter = root.seconds("forget_after", 0, 0, 3650 * 86_400.0);
        double saveInterval = root.seconds("save_interval", 30, 1, 3600);
        Path pluginDir = root.path("plugin_dir", null);
        HistoryConfig history = HistoryConfig.from(root.section("history"));
        EventsConfig events = EventsConfig.from(root.section("events"));
        double maxInterval = root.seconds("max_interval", DEFAULT_MAX_INTERVAL, MIN_INTERVAL, 30 * 86_400.0);

        if (hbPort != 0 && (hbPort == hbdPort || hbPort == wsPort)
                || hbdPort != 0 && hbdPort == wsPort) {
            root.error("ws_port", "hb_port, hbd_port and ws_port must differ (or be 0 for any free port)");
        }
        if (forgetAfter > 0 && forgetAfter < interval + grace) {
            root.error("forget_after", "must be 0 (never) or longer than interval + grace");
        }

        Map<String, HostConfig> hosts = new LinkedHashMap<>();
        for (Map.Entry<String, Section> e : root.sections("hosts").entrySet()) {
            String name = e.getKey();
            Section h = e.getValue();
            String problem = HostNames.problem(name);
            if (problem != null) {
                h.error("", problem);
            }
            double hInterval = h.seconds("interval", 0, MIN_INTERVAL, MAX_INTERVAL);
            double hGrace = h.seconds("grace", -1, 0, MAX_INTERVAL);
            HostKey key = null;
            String keyText = h.string("key", null);
            if (keyText != null) {
                try {
                    key = HostKey.parse(keyText);
                } catch (IllegalArgumentException ex) {
                    // the message never echoes the text: it is a secret
                    h.error("key", "not a host key: expected 44 characters of base64 (make one with: hbd hostkey "
                            + name + ")");
                }
            }
            String owner = h.string("owner", null);
            List<String> dependsOn = h.strings("depends_on");
            List<String> tags = h.strings("tags");
            int notifyAfter = h.integer("notify_after", 0, 1, 100);
            ThresholdsConfig hThresholds = ThresholdsConfig.from(h, "thresholds");
            h.finish();
            hosts.put(name, new HostConfig(name, hInterval, hGrace, key, owner, dependsOn, tags, notifyAfter,
                    hThresholds));
        }
        for (HostConfig h : hosts.values()) {
            for (String parent : h.dependsOn()) {
                if (!hosts.containsKey(parent)) {
                    root.section("hosts").section(h.name()).warning("depends_on",
                            "\"" + parent + "\" is not in hosts:");
                }
            }
            if (requireAuth && h.key() == null) {
                root.section("hosts").section(h.name()).warning("key",
                        "require_auth is on but this host has no key, so it cannot report");
            }
        }

        Map<String, ChannelConfig> channels = channels(root.sections("notification_channels"));
        Map<String, UserConfig> users = users(root.sections("users"), channels.keySet());
        String defaultOwner = root.string("default_owner", null);
        if (defaultOwner != null && !users.containsKey(defaultOwner)) {
            root.warning("default_owner", "\"" + defaultOwner + "\" is not in users:, so hosts without an owner"
                    + " notify the admins");
        }
        for (HostConfig h : hosts.values()) {
            if (h.owner() != null && !users.containsKey(h.owner())) {
                root.section("hosts").section(h.name()).warning("owner", "\"" + h.owner()
                        + "\" is not in users:, so this host's notifications go to the admins");
            }
        }
        Path tokenfile = root.path("tokenfile", null);
        if (tokenfile == null) {
            tokenfile = pickfile.toAbsolutePath().resolveSibling(".hb.tokens");
        }
        boolean metricsPublic = root.bool("metrics_public", false);
        double sessionIdleTimeout = root.seconds("session_idle_timeout", DEFAULT_SESSION_IDLE_TIMEOUT, 60,
                7 * 86_400.0);
        String console = root.string("console", DEFAULT_CONSOLE).strip().toLowerCase(java.util.Locale.ROOT);
        if (!CONSOLE_MODES.contains(console)) {
            root.error("console", "must be off, localhost or on (who may open the runtime console at "
                    + "/system/console)");
            console = "off";
        }
        ThresholdsConfig thresholds = ThresholdsConfig.from(root, "thresholds");
        AlertingConfig alerting = AlertingConfig.from(root, root.section("alerting"));
        OutboxConfig outbox = OutboxConfig.from(root.section("outbox"));
        PeersConfig peers = PeersConfig.from(root);
        TlsConfig tls = TlsConfig.from(root);
        root.finish();

        if (!problems.errors().isEmpty()) {
            throw new ConfigException(file, problems.errors());
        }
        return new ServerConfig(file, listen, hbPort, hbdPort, wsPort, interval, grace, pickfile, pidfile, logfile,
                logMaxBytes, logKeep, requireAuth, authWindow, maxHosts, forgetAfter, saveInterval, pluginDir, history, events,
                maxInterval, hosts, channels, users, defaultOwner, tokenfile, metricsPublic, sessionIdleTimeout, console, thresholds,
                alerting, outbox, peers, tls, problems.warnings());
    }

    private static Map<String, ChannelConfig> channels(Map<String, Section> sections) {
        Map<String, ChannelConfig> channels = new LinkedHashMap<>();
        for (Map.Entry<String, Section> e : sections.entrySet()) {
            Section c = e.getValue();
            if (!e.getKey().matches("[A-Za-z0-9_.-]{1,64}")) {
                c.error("", "a channel name is 1 to 64 letters, digits, '_', '.' or '-'");
            }
            String type = c.string("type", null);
            if (type == null) {
                c.error("type", "missing: which kind of channel (pushover, email, mattermost, matrix, signal, voipms)");
                continue;
            }
            if (!type.matches("[a-z0-9_-]{1,32}")) {
                c.error("type", "a channel type is 1 to 32 lower-case letters, digits, '_' or '-'");
                continue;
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            for (String key : c.keys()) {
                if (!key.equals("type")) {
                    flatten(key, c.plain(key), settings);
                }
            }
            channels.put(e.getKey(), new ChannelConfig(e.getKey(), type, settings, c.line()));
        }
        return channels;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String key, Object value, Map<String, Object> into) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                flatten(key + "." + e.getKey(), e.getValue(), into);
            }
        } else if (value instanceof List<?> l) {
            into.put(key, l.stream().map(String::valueOf).toList());
        } else if (value != null) {
            into.put(key, value);
        }
    }

    private static Map<String, UserConfig> users(Map<String, Section> sections, java.util.Set<String> channels) {
        Map<String, UserConfig> users = new LinkedHashMap<>();
        for (Map.Entry<String, Section> e : sections.entrySet()) {
            Section u = e.getValue();
            String name = e.getKey();
            if (!name.matches("[A-Za-z0-9_.@-]{1,64}")) {
                u.error("", "a user name is 1 to 64 letters, digits, '_', '.', '@' or '-'");
            }
            String password = u.string("password", null);
            if (password != null) {
                // the message never quotes the hash
                String problem = PasswordHash.problem(password);
                if (problem != null) {
                    u.error("password", problem);
                    password = null;
                }
            }
            boolean admin = u.bool("admin", false);
            List<String> userChannels = u.strings("notification_channels");
            for (String ch : userChannels) {
                if (!channels.contains(ch)) {
                    u.error("notification_channels", "\"" + ch + "\" is not in notification_channels:");
                }
            }
            u.finish();
            users.put(name, new UserConfig(name, password, admin, userChannels));
        }
        return users;
    }

    /** Whether the file holds secrets (host keys). */
    public boolean hasSecrets() {
        return hosts.values().stream().anyMatch(h -> h.key() != null) || !users.isEmpty() || peers.key() != null
                || !notificationChannels.isEmpty();
    }

    /**
     * This configuration with other {@code hosts:} entries (the server applies its run-time overrides so), the
     * rest unchanged.
     */
    public ServerConfig withHosts(Map<String, HostConfig> newHosts) {
        return new ServerConfig(source, listen, hbPort, hbdPort, wsPort, interval, grace, pickfile, pidfile, logfile,
                logMaxBytes, logKeep, requireAuth, authWindow, maxHosts, forgetAfter, saveInterval, pluginDir, history, events,
                maxInterval, newHosts, notificationChannels, users, defaultOwner, tokenfile, metricsPublic, sessionIdleTimeout,
                console, thresholds, alerting, outbox, peers, tls, warnings);
    }

    private ServerConfig withWarnings(List<ConfigProblem> newWarnings) {
        List<ConfigProblem> all = new ArrayList<>(newWarnings);
        return new ServerConfig(source, listen, hbPort, hbdPort, wsPort, interval, grace, pickfile, pidfile, logfile,
                logMaxBytes, logKeep, requireAuth, authWindow, maxHosts, forgetAfter, saveInterval, pluginDir, history, events,
                maxInterval, hosts, notificationChannels, users, defaultOwner, tokenfile, metricsPublic, sessionIdleTimeout, console,
                thresholds, alerting, outbox, peers, tls, all);
    }

    @Override
    public String toString() {
        return "ServerConfig[" + (source == null ? "defaults" : source) + ", udp " + hbPort + ", http " + hbdPort
                + ", ws " + wsPort + (tls.enabled() ? ", https" : "") + ", interval " + interval + ", grace " + grace + ", " + hosts.size() + " hosts]";
    }
}
