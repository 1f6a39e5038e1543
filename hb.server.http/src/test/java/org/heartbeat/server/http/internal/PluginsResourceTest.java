package org.heartbeat.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import org.heartbeat.api.Metrics;
import org.heartbeat.server.internal.HistoryStore.Point;
import org.junit.jupiter.api.Test;

class PluginsResourceTest {
    private static final long NOW = 1_764_115_200_000L; // 2025-11-26T00:00:00Z

    @Test
    void timesAreIso8601InstantsDatesOffsetsOrDurationsBeforeNow() {
        assertThat(PluginsResource.time("since", "2025-11-26T00:00:00Z", NOW, 0)).isEqualTo(NOW);
        assertThat(PluginsResource.time("since", "2025-11-26T00:00:00.250Z", NOW, 0)).isEqualTo(NOW + 250);
        assertThat(PluginsResource.time("since", "2025-11-26T01:00:00+01:00", NOW, 0)).isEqualTo(NOW);
        assertThat(PluginsResource.time("since", "2025-11-26", NOW, 0)).isEqualTo(NOW);
        assertThat(PluginsResource.time("since", "PT1H", NOW, 0)).isEqualTo(NOW - 3_600_000);
        assertThat(PluginsResource.time("since", "-P1D", NOW, 0)).isEqualTo(NOW - 86_400_000);
        assertThat(PluginsResource.time("since", null, NOW, 42)).isEqualTo(42);
        assertThatThrownBy(() -> PluginsResource.time("until", "yesterday", NOW, 0))
                .hasMessageStartingWith("until: not an ISO-8601 time or duration: \"yesterday\"");
    }

    @Test
    void resamplingWeighsReducedPointsByTheirCount() {
        List<Point> points = List.of(Point.raw(NOW, 10), new Point(NOW + 1000, 20, 0, 40, 3, true),
                Point.raw(NOW + 60_000, 5));
        assertThat(PluginsResource.resample(points, 60_000)).containsExactly(
                new Point(NOW, (10 + 20 * 3) / 4.0, 0, 40, 4, true), new Point(NOW + 60_000, 5, 5, 5, 1, true));
    }

    @Test
    void prometheusTextHasHostsPluginValuesWithPointerLabelsAndLeavesStaleValuesOut() {
        HostSnapshot up = SnapshotBuilder.host("web1").status(HostStatus.UP).lastSeen(NOW - 1500).rtt(412).build();
        HostSnapshot overdue = SnapshotBuilder.host("db\"1").status(HostStatus.OVERDUE).lastSeen(NOW - 600_000).build();
        Metrics disk = Metrics.builder().map("partitions", p -> p.map("/srv/a b", m -> m.put("percent", 41.5)
                .put("readonly", false).put("fstype", "ext4"))).build();
        PluginState fresh = PluginState.NONE.withSample(NOW - 1000, NOW - 1000, 60_000, disk);
        PluginState stale = PluginState.NONE.withSample(NOW - 200_000, NOW - 200_000, 60_000,
                Metrics.builder().put("cpu_percent", 3.0).build());
        PluginState failing = fresh.withError(NOW, 0, "boom");
        StringWriter text = new StringWriter();
        MetricsServlet.write(new PrintWriter(text), List.of(up, overdue),
                Map.of("web1", Map.of("disk_monitor", fresh, "cpu_monitor", stale), "db\"1", Map.of("nagios", failing)),
                Map.of("received", 7L), NOW);
        String out = text.toString();
        assertThat(out).contains("# TYPE heartbeat_host_up gauge\n")
                .contains("heartbeat_host_up{host=\"web1\"} 1\n")
                .contains("heartbeat_host_up{host=\"db\\\"1\"} 0\n")
                .contains("heartbeat_host_overdue{host=\"db\\\"1\"} 1\n")
                .contains("heartbeat_host_rtt_seconds{host=\"web1\"} 0.000412\n")
                .contains("heartbeat_host_last_heartbeat_timestamp_seconds{host=\"web1\"} 1764115198.5\n")
                .contains("heartbeat_plugin_value{host=\"web1\",plugin=\"disk_monitor\","
                        + "metric=\"/partitions/~1srv~1a b/percent\"} 41.5\n")
                .contains("metric=\"/partitions/~1srv~1a b/readonly\"} 0\n")
                .doesNotContain("fstype")
                .doesNotContain("cpu_percent")
                .contains("heartbeat_plugin_failing{host=\"db\\\"1\",plugin=\"nagios\"} 1\n")
                .contains("heartbeat_plugin_failing{host=\"web1\",plugin=\"cpu_monitor\"} 0\n")
                .contains("heartbeat_udp_datagrams_total{outcome=\"received\"} 7\n");
        assertThat(MetricsServlet.number(1e-9)).isEqualTo("1.0E-9");
        assertThat(MetricsServlet.number(-2.5)).isEqualTo("-2.5");
        // every line is a comment or "name{labels} value"
        for (String line : out.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) heartbeat_[a-z_]+ .+|heartbeat_[a-z_]+\\{[a-z]+=\".*\"} -?[0-9.E-]+");
        }
    }
}
