package org.heartbeat.plugin.nagios.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StateTest {
    @Test
    void exitCodes() {
        assertThat(State.ofExitCode(0)).isEqualTo(State.OK);
        assertThat(State.ofExitCode(1)).isEqualTo(State.WARNING);
        assertThat(State.ofExitCode(2)).isEqualTo(State.CRITICAL);
        assertThat(State.ofExitCode(3)).isEqualTo(State.UNKNOWN);
        assertThat(State.ofExitCode(4)).isEqualTo(State.UNKNOWN);
        assertThat(State.ofExitCode(-1)).isEqualTo(State.UNKNOWN);
        assertThat(State.ofExitCode(137)).isEqualTo(State.UNKNOWN);
        for (State s : State.values()) {
            assertThat(State.ofExitCode(s.code())).isEqualTo(s);
        }
    }

    @Test
    void okWarningUnknownCritical() {
        assertThat(State.OK.worse(State.WARNING)).isEqualTo(State.WARNING);
        assertThat(State.WARNING.worse(State.UNKNOWN)).isEqualTo(State.UNKNOWN);
        assertThat(State.UNKNOWN.worse(State.CRITICAL)).isEqualTo(State.CRITICAL);
        assertThat(State.CRITICAL.worse(State.UNKNOWN)).isEqualTo(State.CRITICAL);
        assertThat(State.UNKNOWN.worse(State.WARNING)).isEqualTo(State.UNKNOWN);
        assertThat(State.WARNING.worse(State.OK)).isEqualTo(State.WARNING);
        for (State s : State.values()) {
            assertThat(s.worse(s)).isEqualTo(s);
            assertThat(State.OK.worse(s)).isEqualTo(s);
            assertThat(State.CRITICAL.worse(s)).isEqualTo(State.CRITICAL);
        }
    }
}
