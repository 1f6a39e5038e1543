package org.heartbeat.server.internal.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.heartbeat.config.PrivateFiles;
import org.heartbeat.config.ConfigException;
import org.heartbeat.config.ConfigProblem;
import org.heartbeat.config.HostConfig;
import org.heartbeat.config.ServerConfig;
import org.heartbeat.config.ThresholdsConfig;
import org.heartbeat.server.api.HostOverrides;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The file of per-host settings overrides ({@link HostOverrides}), beside the state file: a JSON object
 * {@code {"hosts": {"web1": {"interval": 5}}}}. Values are checked with the configuration file's own rules (each
 * host's overrides are parsed as a {@code hosts:} entry), so the API refuses what the YAML would refuse. Written
 * to a temporary file of mode 0600 that is synced and renamed over the old one. Static helpers, called by
 * {@link ConfigTranslator} under its lock.
 */
final class OverridesFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final TypeReference<Map<String, Map<String, Map<String, Object>>>> TYPE = new TypeReference<>() {
    };

    private OverridesFile() {
    }

    /** The overrides file that goes with a state file: its name plus {@code .overrides}. */
    static Path beside(Path pickfile) {
        return pickfile.resolveSibling(pickfile.getFileName() + ".overrides");
    }

    /**
     * Reads the overrides; none when the file does not exist. An entry that breaks the rules is left out and
     * named in {@code problems}.
     */
    static Map<String, Map<String, Object>> read(Path file, List<String> problems) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        }
        Map<String, Map<String, Map<String, Object>>> root;
        try {
            root = JSON.readValue(bytes, TYPE);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not an overrides file: " + e.getOriginalMessage(), e);
        }
        Map<String, Map<String, Object>> out = new TreeMap<>();
        Map<String, Map<String, Object>> hosts = root == null ? null : root.get("hosts");
        if (hosts != null) {
            for (var e : hosts.entrySet()) {
                try {
                    Map<String, Object> values = validate(e.getKey(), e.getValue() == null ? Map.of() : e.getValue());
                    if (!values.isEmpty()) {
                        out.put(e.getKey(), values);
                    }
                } catch (IllegalArgumentException bad) {
                    problems.add(file + ": hosts." + e.getKey() + "." + bad.getMessage() + "; entry ignored");
                }
            }
        }
        return out;
    }

    /** Writes the overrides atomically, mode 0600. */
    static void write(Path file, Map<String, Map<String, Object>> overrides) throws IOException {
        PrivateFiles.write(file, JSON.writeValueAsBytes(Map.of("hosts", new TreeMap<>(overrides))));
    }

    /**
     * Checks one host's overrides with the rules of a {@code hosts:} entry and normalises them: durations to
     * seconds (whole ones as {@link Long}), lists to lists of strings, keys in {@link HostOverrides#KEYS} order.
     *
     * @throws IllegalArgumentException naming the first key that is wrong: {@code "interval: must be ..."}
     */
    static Map<String, Object> validate(String host, Map<String, ?> values) {
        for (String key : values.keySet()) {
            if (!HostOverrides.KEYS.contains(key)) {
                throw new IllegalArgumentException(key + ": not a setting that can be changed at run time; these"
                        + " can: " + String.join(", ", HostOverrides.KEYS));
            }
            if (values.get(key) == null) {
                throw new IllegalArgumentException(key + ": must not be null (leave it out to keep the"
                        + " configuration's value)");
            }
        }
        HostConfig parsed;
        try {
            String text = JSON.writeValueAsString(Map.of("hosts", Map.of(host, values)));
            parsed = ServerConfig.parse(text).hosts().get(host);
        } catch (ConfigException e) {
            ConfigProblem p = e.problems().get(0);
            String prefix = "hosts." + host + ".";
            String key = p.key().startsWith(prefix) ? p.key().substring(prefix.length()) : p.key();
            throw new IllegalArgumentException((key.isEmpty() ? "host name" : key) + ": " + p.message());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the settings: " + e.getMessage(), e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (values.containsKey("interval")) {
            out.put("interval", seconds(parsed.interval()));
        }
        if (values.containsKey("grace")) {
            out.put("grace", seconds(parsed.grace()));
        }
        if (values.containsKey("notify_after")) {
            out.put("notify_after", parsed.notifyAfter());
        }
        if (values.containsKey("owner")) {
            out.put("owner", parsed.owner());
        }
        if (values.containsKey("depends_on")) {
            out.put("depends_on", parsed.dependsOn());
        }
        if (values.containsKey("tags")) {
            out.put("tags", parsed.tags());
        }
        return out;
    }

    private static Number seconds(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
    }

    /**
     * The configuration with the overrides applied to its {@code hosts:}: an override replaces the entry's value;
     * a host that is not in {@code hosts:} gets an entry of its own (no key, the rest unset).
     */
    @SuppressWarnings("unchecked")
    static ServerConfig apply(ServerConfig config, Map<String, Map<String, Object>> overrides) {
        if (overrides.isEmpty()) {
            return config;
        }
        Map<String, HostConfig> hosts = new LinkedHashMap<>(config.hosts());
        for (var e : overrides.entrySet()) {
            String name = e.getKey();
            Map<String, Object> o = e.getValue();
            HostConfig h = hosts.getOrDefault(name,
                    new HostConfig(name, 0, -1, null, null, List.of(), List.of(), 0, ThresholdsConfig.NONE));
            hosts.put(name, new HostConfig(name,
                    o.containsKey("interval") ? ((Number) o.get("interval")).doubleValue() : h.interval(),
                    o.containsKey("grace") ? ((Number) o.get("grace")).doubleValue() : h.grace(),
                    h.key(),
                    o.containsKey("owner") ? (String) o.get("owner") : h.owner(),
                    o.containsKey("depends_on") ? new ArrayList<>((List<String>) o.get("depends_on")) : h.dependsOn(),
                    o.containsKey("tags") ? new ArrayList<>((List<String>) o.get("tags")) : h.tags(),
                    o.containsKey("notify_after") ? ((Number) o.get("notify_after")).intValue() : h.notifyAfter(),
                    h.thresholds()));
        }
        return config.withHosts(hosts);
    }
}
