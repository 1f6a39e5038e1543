package org.heartbeat.plugin.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void intervalTimeoutAndTheFrameworksDottedKeysAreNotUnknown() {
        Map<String, Object> properties = Map.of("interval", 10.0, "timeout", 5.0, "service.pid",
                "org.heartbeat.plugin.cpu_monitor", "component.name", "x", "component.id", 3L,
                "heartbeat.plugin.name", "cpu_monitor", "felix.fileinstall.filename", "file:/x.cfg");

        assertThat(Settings.unknownKey("cpu_monitor", properties, Set.of())).isNull();
    }

    @Test
    void anUnknownKeyIsNamedWithWhatThePluginKnows() {
        assertThat(Settings.unknownKey("cpu_monitor", Map.of("interval", 1.0, "percpu", "false"), Set.of()))
                .isEqualTo("unknown setting \"percpu\": cpu_monitor has no settings");
        assertThat(Settings.unknownKey("x", Map.of("b_key", 1, "a_key", 2), Set.of("known", "also")))
                .isEqualTo("unknown setting \"a_key\": x knows also, known");
        assertThat(Settings.unknownKey("x", Map.of("known", 1), Set.of("known"))).isNull();
    }
}
