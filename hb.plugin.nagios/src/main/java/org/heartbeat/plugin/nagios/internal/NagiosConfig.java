package org.heartbeat.plugin.nagios.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.heartbeat.plugin.support.PluginDefaults;

/**
 * The {@code nagios} plugin's configuration, read back from the flattened ConfigAdmin properties {@code hbc}
 * writes from its YAML file:
 *
 * <pre>{@code
 * checks:                                        checks.load = "check_load -w 5,4,3 -c 10,8,6"
 *   load: "check_load -w 5,4,3 -c 10,8,6"        checks.disk_root.command = "check_disk -w 20% -c 10% -p /"
 *   disk_root:                              ->   checks.disk_root.interval = 300
 *     command: "check_disk -w 20% -c 10% -p /"   plugin_path = ["/opt/custom/libexec"]
 *     interval: 300                              interval = 60.0, timeout = 30.0
 * plugin_path: [/opt/custom/libexec]
 * }</pre>
 *
 * A check is either a command ({@code checks.NAME}) or a map of {@value #COMMAND}, {@value #INTERVAL} and
 * {@value #TIMEOUT} ({@code checks.NAME.command} ...); a command is a string split like a shell would
 * ({@link CommandLine}) or a list of arguments taken as they are. Because the keys arrive joined with dots and
 * a check name may hold dots, a key ending in {@code .command}, {@code .interval} or {@code .timeout} always
 * belongs to a check of the map form.
 *
 * <p>A check whose configuration is wrong is kept, with its {@link CheckSpec#problem()}, so that it can be
 * reported without hiding the others. What concerns the whole plugin (no checks, a bad {@code plugin_path})
 * is in {@link #problems()}.
 *
 * @param intervalMillis the plugin's interval
 * @param timeoutMillis the plugin's timeout
 * @param pluginPath the directories of {@code plugin_path}, looked in first
 * @param checks the checks, by name
 * @param problems what is wrong with the configuration as a whole; empty when nothing is
 */
record NagiosConfig(long intervalMillis, long timeoutMillis, List<Path> pluginPath, List<CheckSpec> checks,
        List<String> problems) {
    static final String INTERVAL = "interval";
    static final String TIMEOUT = "timeout";
    static final String COMMAND = "command";
    static final String CHECKS = "checks";
    static final String PLUGIN_PATH = "plugin_path";
    /** A check's timeout when it sets none. */
    static final long DEFAULT_CHECK_TIMEOUT_MILLIS = 10_000;
    static final int MAX_NAME = 64;

    private static final Set<String> CHECK_KEYS = Set.of(COMMAND, INTERVAL, TIMEOUT);

    NagiosConfig {
        pluginPath = List.copyOf(pluginPath);
        checks = List.copyOf(checks);
        problems = List.copyOf(problems);
    }

    /** The configuration in {@code properties}; other keys (component and ConfigAdmin ones) are ignored. */
    static NagiosConfig parse(Map<String, ?> properties) {
        double interval = seconds(properties.get(INTERVAL));
        if (!(interval > 0)) {
            interval = PluginDefaults.INTERVAL;
        }
        double timeout = seconds(properties.get(TIMEOUT));
        if (!(timeout > 0)) {
            // as hbc's scheduler does
            timeout = PluginDefaults.timeout(interval);
        }
        long intervalMillis = Math.max(1, Math.round(interval * 1000));
        long timeoutMillis = Math.max(1, Math.round(timeout * 1000));
        List<String> problems = new ArrayList<>();
        List<Path> pluginPath = pluginPath(properties.get(PLUGIN_PATH), problems);

        Map<String, Map<String, Object>> mapped = new TreeMap<>();
        Map<String, Object> plain = new TreeMap<>();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            if (!e.getKey().startsWith(CHECKS + ".")) {
                continue;
            }
            String rest = e.getKey().substring(CHECKS.length() + 1);
            int dot = rest.lastIndexOf('.');
            if (dot > 0 && CHECK_KEYS.contains(rest.substring(dot + 1))) {
                mapped.computeIfAbsent(rest.substring(0, dot), k -> new TreeMap<>())
                        .put(rest.substring(dot + 1), e.getValue());
            } else {
                plain.put(rest, e.getValue());
            }
        }
        Map<String, CheckSpec> checks = new TreeMap<>();
        Map<String, List<String>> unknownKeys = new TreeMap<>();
        for (Map.Entry<String, Object> e : plain.entrySet()) {
            String owner = owner(e.getKey(), mapped);
            if (owner != null) {
                unknownKeys.computeIfAbsent(owner, k -> new ArrayList<>()).add(e.getKey().substring(owner.length() + 1));
            } else {
                checks.put(e.getKey(), check(e.getKey(), e.getValue(), null, null, intervalMillis, timeoutMillis));
            }
        }
        for (Map.Entry<String, Map<String, Object>> e : mapped.entrySet()) {
            String name = e.getKey();
            Map<String, Object> keys = e.getValue();
            CheckSpec spec;
            if (unknownKeys.containsKey(name)) {
                spec = CheckSpec.invalid(name, "unknown key" + (unknownKeys.get(name).size() > 1 ? "s " : " ")
                        + String.join(", ", unknownKeys.get(name)) + "; a check has command, interval and timeout");
            } else if (!keys.containsKey(COMMAND)) {
                spec = CheckSpec.invalid(name, "no command");
            } else {
                spec = check(name, keys.get(COMMAND), keys.get(INTERVAL), keys.get(TIMEOUT), intervalMillis,
                        timeoutMillis);
            }
            if (checks.containsKey(name)) {
                spec = CheckSpec.invalid(name, "configured twice, as a command and as a map");
            }
            checks.put(name, spec);
        }
        if (properties.containsKey(CHECKS)) {
            problems.add("checks must map check names to commands, for example checks: {load: \"check_load -w 5,4,3"
                    + " -c 10,8,6\"}");
        } else if (checks.isEmpty()) {
            problems.add("no checks configured: list them under checks, for example checks: {load: \"check_load"
                    + " -w 5,4,3 -c 10,8,6\"}");
        }
        return new NagiosConfig(intervalMillis, timeoutMillis, pluginPath, new ArrayList<>(checks.values()),
                problems);
    }

    /** The longest timeout of a check: the plugin's timeout less a margin (1 s, or a quarter of a short one). */
    static long maxCheckTimeout(long pluginTimeoutMillis) {
        return Math.max(1, pluginTimeoutMillis - Math.min(1000, pluginTimeoutMillis / 4));
    }

    /** Whether {@code name} is a valid check name: like a plugin name, 1 to 64 of {@code A-Z a-z 0-9 _ . -}. */
    static boolean validName(String name) {
        return name.length() <= MAX_NAME && name.matches("[A-Za-z0-9_.-]+");
    }

    /** The map-form check that {@code key} is an unknown key of, or null. */
    private static String owner(String key, Map<String, Map<String, Object>> mapped) {
        String owner = null;
        for (String name : mapped.keySet()) {
            if (key.startsWith(name + ".") && (owner == null || name.length() > owner.length())) {
                owner = name;
            }
        }
        return owner;
    }

    private static CheckSpec check(String name, Object command, Object interval, Object timeout,
            long pluginIntervalMillis, long pluginTimeoutMillis) {
        if (!validName(name)) {
            return CheckSpec.invalid(name, "bad check name \"" + name + "\": use 1 to " + MAX_NAME
                    + " characters of A-Z a-z 0-9 _ . -");
        }
        List<String> argv;
        try {
            argv = command(command);
        } catch (IllegalArgumentException e) {
            return CheckSpec.invalid(name, e.getMessage());
        }
        long intervalMillis = pluginIntervalMillis;
        if (interval != null) {
            double s = seconds(interval);
            if (!(s > 0)) {
                return CheckSpec.invalid(name, "interval must be a positive number of seconds, not \"" + interval
                        + "\"");
            }
            intervalMillis = Math.max(pluginIntervalMillis, Math.round(s * 1000));
        }
        long timeoutMillis = DEFAULT_CHECK_TIMEOUT_MILLIS;
        if (timeout != null) {
            double s = seconds(timeout);
            if (!(s > 0)) {
                return CheckSpec.invalid(name, "timeout must be a positive number of seconds, not \"" + timeout
                        + "\"");
            }
            timeoutMillis = Math.max(1, Math.round(s * 1000));
        }
        timeoutMillis = Math.min(timeoutMillis, maxCheckTimeout(pluginTimeoutMillis));
        return new CheckSpec(name, argv, intervalMillis, timeoutMillis, null);
    }

    private static List<String> command(Object command) {
        List<String> argv;
        if (command instanceof String s) {
            argv = CommandLine.split(s);
        } else if (command instanceof String[] a && a.length > 0) {
            argv = Arrays.asList(a);
        } else {
            throw new IllegalArgumentException("the command must be a string or a list of arguments, not "
                    + (command instanceof String[] ? "an empty list" : "\"" + command + "\""));
        }
        String program = argv.get(0);
        if (program.isEmpty()) {
            throw new IllegalArgumentException("the command name is empty");
        }
        if (program.contains("/") && !Path.of(program).isAbsolute()) {
            throw new IllegalArgumentException("\"" + program + "\" is a relative path: give a command name"
                    + " (looked up in plugin_path, the plugin directories and PATH) or an absolute path");
        }
        return argv;
    }

    private static List<Path> pluginPath(Object value, List<String> problems) {
        List<String> entries;
        if (value == null) {
            entries = List.of();
        } else if (value instanceof String s) {
            entries = Arrays.asList(s.split(":"));
        } else if (value instanceof String[] a) {
            entries = Arrays.asList(a);
        } else {
            problems.add("plugin_path must be a directory or a list of directories, not \"" + value + "\"");
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        for (String entry : entries) {
            String dir = entry.strip();
            if (dir.isEmpty()) {
                continue;
            }
            if (!dir.startsWith("/")) {
                problems.add("plugin_path: \"" + dir + "\" is not an absolute directory");
            } else {
                dirs.add(Path.of(dir));
            }
        }
        return dirs;
    }

    /** Seconds from a number or a numeric string; NaN when there are none. */
    private static double seconds(Object value) {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                double d = Double.parseDouble(s.strip());
                return Double.isFinite(d) ? d : Double.NaN;
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
