package org.heartbeat.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.heartbeat.protocol.HostNames;
import org.heartbeat.protocol.PluginNames;

/**
 * The client's configuration, {@code ~/.hbc.yaml}. Command-line options override it; the README's client
 * reference lists every key.
 */
public record ClientConfig(
        Path source,
        int hbPort,
        double interval,
        List<String> servers,
        String name,
        Path keyFile,
        Path pluginDir,
        Map<String, PluginSettings> plugins,
        List<ConfigProblem> warnings) {

    public static final int DEFAULT_HB_PORT = ServerConfig.DEFAULT_HB_PORT;
    public static final double DEFAULT_INTERVAL = 20;

    public ClientConfig {
        servers = List.copyOf(servers);
        plugins = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(plugins));
        warnings = List.copyOf(warnings);
    }

    /** The built-in defaults: heartbeats every 20 s to port 50003, no plugins. */
    public static ClientConfig defaults() {
        try {
            return from(null, YamlFile.read(null, new Problems()), new Problems());
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ClientConfig load(Path file) throws ConfigException {
        Problems problems = new Problems();
        return from(file, YamlFile.read(file, problems), problems);
    }

    public static ClientConfig parse(String yaml) throws ConfigException {
        Problems problems = new Problems();
        return from(null, YamlFile.parse(null, yaml, problems), problems);
    }

    private static ClientConfig from(Path file, Section root, Problems problems) throws ConfigException {
        int hbPort = root.port("hb_port", DEFAULT_HB_PORT);
        if (root.has("hb_port") && hbPort == 0) {
            root.error("hb_port", "the server's port cannot be 0");
        }
        double interval = root.seconds("interval", DEFAULT_INTERVAL, ServerConfig.MIN_INTERVAL,
                ServerConfig.MAX_INTERVAL);
        List<String> servers = root.has("servers") ? root.strings("servers") : root.strings("server");
        root.accept("server", "servers");
        String name = root.string("name", null);
        if (name != null && HostNames.problem(name) != null) {
            root.error("name", HostNames.problem(name));
        }
        Path keyFile = root.path("key_file", null);
        Path pluginDir = root.path("plugin_dir", null);

        Map<String, PluginSettings> plugins = new LinkedHashMap<>();
        for (Map.Entry<String, Section> e : root.sections("plugins").entrySet()) {
            String plugin = e.getKey();
            Section p = e.getValue();
            if (!PluginNames.valid(plugin)) {
                p.error("", "not a valid plugin name: use letters, digits, _ . -");
            }
            OptionalDouble pInterval = optionalSeconds(p, "interval", ServerConfig.MIN_INTERVAL,
                    ServerConfig.MAX_INTERVAL);
            OptionalDouble pTimeout = optionalSeconds(p, "timeout", 0.1, 3600);
            Map<String, Object> settings = new LinkedHashMap<>();
            for (String key : p.keys()) {
                if (!key.equals("interval") && !key.equals("timeout")) {
                    settings.put(key, p.plain(key));
                }
            }
            plugins.put(plugin, new PluginSettings(plugin, pInterval, pTimeout, settings));
        }
        root.finish();
        if (!problems.errors().isEmpty()) {
            throw new ConfigException(file, problems.errors());
        }
        return new ClientConfig(file, hbPort, interval, servers, name, keyFile, pluginDir, plugins,
                problems.warnings());
    }

    /** Seconds when the key is there with a usable value; empty otherwise (a mistake is recorded). */
    private static OptionalDouble optionalSeconds(Section s, String key, double min, double max) {
        double v = s.seconds(key, Double.NaN, min, max);
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
}
