package org.heartbeat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Plugin names (docs/PROTOCOL.md, section 4.3): 1-64 characters of ASCII letters, digits, '_', '.', '-'. */
class PluginNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"cpu_monitor", "a", "Z", "9", "disk-monitor.v2", "A.b-C_9", "..", "-"})
    void validNames(String name) {
        assertThat(PluginNames.valid(name)).isTrue();
        assertThat(PluginNames.check(name)).isSameAs(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cpu monitor", "cpu/monitor", "cpu:monitor", "cpü", "cpu\tx", "cpu\u0000", "a+b",
            "a@b", "ｃｐｕ", "cpu\u00a0"})
    void invalidNames(String name) {
        assertThat(PluginNames.valid(name)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> PluginNames.check(name))
                .withMessageContaining("64");
    }

    @Test
    void nullIsInvalid() {
        assertThat(PluginNames.valid(null)).isFalse();
    }

    @Test
    void theLimitIs64Characters() {
        assertThat(PluginNames.valid("p".repeat(64))).isTrue();
        assertThat(PluginNames.valid("p".repeat(65))).isFalse();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PluginError("web1", 1, 2, 3, "p".repeat(65), "message"));
    }
}
