package org.heartbeat.plugin.nagios.internal;

import java.util.List;

/**
 * One configured check: what to run and how often, or, when its configuration is wrong, why it cannot run.
 *
 * @param name the check's name, the key under {@code checks}
 * @param command the program and its arguments; empty when the check is invalid
 * @param intervalMillis how often it runs: its own interval, at least the plugin's
 * @param timeoutMillis how long it may run before it is killed
 * @param problem what is wrong with its configuration, or null when it is valid
 */
record CheckSpec(String name, List<String> command, long intervalMillis, long timeoutMillis, String problem) {
    CheckSpec {
        command = List.copyOf(command);
    }

    static CheckSpec invalid(String name, String problem) {
        return new CheckSpec(name, List.of(), 0, 0, problem);
    }

    boolean valid() {
        return problem == null;
    }
}
