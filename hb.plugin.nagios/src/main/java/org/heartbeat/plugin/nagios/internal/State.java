package org.heartbeat.plugin.nagios.internal;

/**
 * A Nagios service state, with its exit code ({@link #code()}) and its rank for {@link #worse(State)}:
 * OK &lt; WARNING &lt; UNKNOWN &lt; CRITICAL. UNKNOWN ranks above WARNING because nobody knows what a check
 * that cannot tell is hiding, and below CRITICAL because a check that positively reports a failure is the
 * stronger evidence (the severity order of Icinga and of Nagios' own status views).
 */
enum State {
    OK(0, 0), WARNING(1, 1), CRITICAL(2, 3), UNKNOWN(3, 2);

    private final int code;
    private final int rank;

    State(int code, int rank) {
        this.code = code;
        this.rank = rank;
    }

    /** The plugin exit code and {@code state} value: 0 to 3. */
    int code() {
        return code;
    }

    /** The state of an exit code: 0 to 3 as in the plugin guidelines, anything else UNKNOWN. */
    static State ofExitCode(int exitCode) {
        return switch (exitCode) {
            case 0 -> OK;
            case 1 -> WARNING;
            case 2 -> CRITICAL;
            default -> UNKNOWN;
        };
    }

    /** The worse of this state and {@code other}. */
    State worse(State other) {
        return other.rank > rank ? other : this;
    }
}
