package org.heartbeat.config;

/**
 * One mistake or doubtful point in a configuration file.
 *
 * @param key the dotted path of the key, for example {@code hosts.web1.interval}; empty for the file itself
 * @param line the 1-based line in the file, 0 when unknown
 * @param message what is wrong, for example {@code expected a number of seconds, got "two"}
 */
public record ConfigProblem(String key, int line, String message) {
    @Override
    public String toString() {
        return (key.isEmpty() ? "" : key + ": ") + message + (line > 0 ? " (line " + line + ")" : "");
    }
}
