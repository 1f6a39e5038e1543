package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.heartbeat.api.Metrics;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.ListenerStatus;
import org.heartbeat.server.api.plugin.HistoryPoint;
import org.heartbeat.server.api.plugin.PluginFailure;
import org.heartbeat.server.api.plugin.PluginSample;
import org.heartbeat.server.api.plugin.PluginState;
import org.junit.jupiter.api.Test;

class MetricsResourceTest {
    private static final Instant NOW = Instant.parse("2025-11-26T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static PluginState sample(Instant at, Metrics values) {
        return PluginState.of(new PluginSample("h", "p", at, at, MINUTE, values));
    }

    @Test
    void prometheusTextHasHostsPluginValuesWithPointerLabelsAndLeavesStaleValuesOut() {
        HostView up = HostView.builder("web1").status(HostStatus.UP).lastSeen(NOW.minusMillis(1500))
                .rttHistory(List.of(Duration.ofNanos(412_000))).build();
        HostView overdue = HostView.builder("db\"1").status(HostStatus.OVERDUE).lastSeen(NOW.minusSeconds(600)).build();
        Metrics disk = Metrics.builder().map("partitions", p -> p.map("/srv/a b", m -> m.put("percent", 41.5)
                .put("readonly", false).put("fstype", "ext4"))).build();
        PluginState fresh = sample(NOW.minusSeconds(1), disk);
        PluginState stale = sample(NOW.minusSeconds(200), Metrics.builder().put("cpu_percent", 3.0).build());
        PluginState failing = fresh.withFailure(new PluginFailure("db\"1", "nagios", NOW, null, "boom"));
        ListenerStatus stuck = new ListenerStatus("alerts", ListenerStatus.Kind.EVENTS, 5, 12, 1, 0,
                NOW.minusSeconds(30));
        StringWriter text = new StringWriter();

        MetricsResource.write(new PrintWriter(text), List.of(up, overdue),
                Map.of("web1", Map.of("disk_monitor", fresh, "cpu_monitor", stale), "db\"1", Map.of("nagios", failing)),
                Map.of("received", 7L), List.of(stuck), NOW);

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
                .contains("heartbeat_udp_datagrams_total{outcome=\"received\"} 7\n")
                .contains("heartbeat_listener_behind{listener=\"alerts\",kind=\"events\"} 12\n")
                .contains("heartbeat_listener_stalled{listener=\"alerts\",kind=\"events\"} 1\n")
                .contains("heartbeat_listener_failures_total{listener=\"alerts\",kind=\"events\"} 1\n");
        assertThat(MetricsResource.number(1e-9)).isEqualTo("1.0E-9");
        assertThat(MetricsResource.number(-2.5)).isEqualTo("-2.5");
        for (String line : out.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) heartbeat_[a-z_]+ .+|heartbeat_[a-z_]+\\{[a-z]+=\".*\"} -?[0-9.E-]+");
        }
    }

    @Test
    void aPluginWhoseLastReportWasAnErrorStopsFailingOnceStale() {
        PluginState failing = PluginState.of(new PluginFailure("web1", "nagios", NOW.minusSeconds(600), MINUTE, "boom"));
        StringWriter text = new StringWriter();
        MetricsResource.write(new PrintWriter(text), List.of(), Map.of("web1", Map.of("nagios", failing)), Map.of(),
                List.of(), NOW);
        assertThat(text.toString()).contains("heartbeat_plugin_failing{host=\"web1\",plugin=\"nagios\"} 0\n");
    }

    @Test
    void resamplingWeighsCombinedPointsByTheirCount() {
        List<HistoryPoint> points = List.of(HistoryPoint.of(NOW, 10), new HistoryPoint(NOW.plusSeconds(1), 20, 0, 40, 3),
                HistoryPoint.of(NOW.plusSeconds(60), 5));
        assertThat(Views.resample(points, MINUTE)).containsExactly(
                new HistoryPoint(NOW, (10 + 20 * 3) / 4.0, 0, 40, 4), new HistoryPoint(NOW.plusSeconds(60), 5, 5, 5, 1));
    }

    @Test
    void alertsAreCountedByKindAndSeverityAndChannelsReportTheirHealth() {
        org.heartbeat.server.api.alert.Alert overdue = alert(org.heartbeat.server.api.alert.Alert.Kind.OVERDUE,
                org.heartbeat.api.notify.Severity.CRITICAL);
        StringWriter text = new StringWriter();
        try (java.io.PrintWriter out = new java.io.PrintWriter(text)) {
            MetricsResource.writeNotifications(out, java.util.List.of(overdue, overdue,
                    alert(org.heartbeat.server.api.alert.Alert.Kind.THRESHOLD, org.heartbeat.api.notify.Severity.WARNING)),
                    java.util.List.of(new org.heartbeat.server.api.notify.ChannelStatus("ops", "pushover", true, 2, 3,
                            java.util.Optional.empty(), "HTTP 503", 20)));
        }
        assertThat(text.toString()).contains("heartbeat_alerts{kind=\"overdue\",severity=\"CRITICAL\"} 2\n")
                .contains("heartbeat_alerts{kind=\"threshold\",severity=\"WARNING\"} 1\n")
                .contains("heartbeat_channel_failing{channel=\"ops\",type=\"pushover\"} 1\n")
                .contains("heartbeat_channel_pending{channel=\"ops\",type=\"pushover\"} 2\n");
        StringWriter none = new StringWriter();
        try (java.io.PrintWriter out = new java.io.PrintWriter(none)) {
            MetricsResource.writeNotifications(out, null, null);
        }
        assertThat(none.toString()).isEmpty();
    }

    private static org.heartbeat.server.api.alert.Alert alert(org.heartbeat.server.api.alert.Alert.Kind kind,
            org.heartbeat.api.notify.Severity severity) {
        return (org.heartbeat.server.api.alert.Alert) java.lang.reflect.Proxy.newProxyInstance(
                MetricsResourceTest.class.getClassLoader(), new Class<?>[] {org.heartbeat.server.api.alert.Alert.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "kind" -> kind;
                    case "severity" -> severity;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
