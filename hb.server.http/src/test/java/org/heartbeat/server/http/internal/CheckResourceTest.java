package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.heartbeat.api.Metrics;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.plugin.PluginSample;
import org.heartbeat.server.api.plugin.PluginState;
import org.junit.jupiter.api.Test;

class CheckResourceTest {
    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

    /** No user directory: who may check what is decided per request (OwnershipTest), not in check(...). */
    private final CheckResource check = new CheckResource(Fakes.hosts(
            HostView.builder("web1").status(HostStatus.UP).lastSeen(NOW.minusSeconds(3)).build()), null);

    @Test
    void aHostIsCheckedAsHbdCheckDoes() {
        NagiosCheck.Result r = check.check("web1", null, null, null, null, NOW);
        assertThat(r.state()).isEqualTo(NagiosCheck.OK);
        assertThat(r.line()).startsWith("HEARTBEAT OK - web1 is up, last heartbeat 3 s ago");
        assertThat(check.check("web9", null, null, null, null, NOW).line())
                .isEqualTo("HEARTBEAT UNKNOWN - hbd does not know host web9");
    }

    @Test
    void mistakesAreUnknownAndSayWhat() {
        assertThat(check.check("web1", null, null, "80", null, NOW).text()).isEqualTo("warning and critical need a metric");
        assertThat(check.check("web1", null, "/x", null, null, NOW).text()).isEqualTo("a metric needs a plugin");
        assertThat(check.check("web1", "cpu", "x", null, null, NOW).text()).startsWith("metric: a JSON pointer");
        assertThat(check.check("web1", "cpu", "/x", "eighty", null, NOW).text()).startsWith("not a Nagios range");
    }

    @Test
    void withoutTheHistoryBundlePluginChecksAreUnknown() {
        assertThat(check.check("web1", "cpu_monitor", null, null, null, NOW).text()).contains("history bundle");
    }

    @Test
    void aPluginMetricIsHeldAgainstTheRanges() {
        PluginState cpu = PluginState.of(new PluginSample("web1", "cpu_monitor", NOW.minusSeconds(5), NOW.minusSeconds(5),
                Duration.ofSeconds(60), Metrics.builder().put("cpu_percent", 91.5).build()));
        check.bindValues(Fakes.values(Map.of("web1", Map.of("cpu_monitor", cpu))));

        NagiosCheck.Result r = check.check("web1", "cpu_monitor", "/cpu_percent", "80", "95", NOW);

        assertThat(r.state()).isEqualTo(NagiosCheck.WARNING);
        assertThat(r.line()).isEqualTo("HEARTBEAT WARNING - cpu_monitor of web1: /cpu_percent = 91.5 (warning: 80)"
                + " | /cpu_percent=91.5;80;95");
        assertThat(check.check("web1", "disk_monitor", null, null, null, NOW).text())
                .isEqualTo("web1 has no plugin disk_monitor (it has cpu_monitor)");
    }
}
