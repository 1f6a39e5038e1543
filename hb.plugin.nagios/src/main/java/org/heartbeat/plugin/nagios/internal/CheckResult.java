package org.heartbeat.plugin.nagios.internal;

/**
 * The outcome of one run of a check, or of a check that cannot run.
 *
 * @param state the state
 * @param output what it printed, or what went wrong
 * @param checkedMillis when it started, epoch milliseconds; -1 when it did not run
 * @param durationMillis how long it ran; -1 when it did not run
 */
record CheckResult(State state, PluginOutput output, long checkedMillis, long durationMillis) {
    /** The result of a check that could not run (its configuration is wrong, the runner failed): UNKNOWN. */
    static CheckResult notRun(String message) {
        return new CheckResult(State.UNKNOWN, PluginOutput.of(message), -1, -1);
    }

    boolean ran() {
        return checkedMillis >= 0;
    }
}
