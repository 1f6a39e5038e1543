package org.heartbeat.server.history.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.h2.mvstore.MVStore;
import org.heartbeat.api.MetricPath;
import org.heartbeat.api.Metrics;
import org.heartbeat.server.api.plugin.HistoryPoint;
import org.heartbeat.server.api.plugin.PluginFailure;
import org.heartbeat.server.api.plugin.PluginSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounds on what hosts can make the history keep: each refusal counted, said once a minute, and the rest kept. */
class HistoryCapsTest {
    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private static final Instant EVER = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant NEVER = Instant.parse("2100-01-01T00:00:00Z");
    private static final long MB = 1024 * 1024;

    @TempDir
    Path dir;

    private final Components.RecordingLogger log = new Components.RecordingLogger();
    private final TestClock clock = new TestClock(T0);
    private PluginHistory history;
    private Instant received = T0;

    private PluginHistory start(Map<String, Object> settings, PluginHistory.Opener opener) {
        history = new PluginHistory(settings(settings), log.logger, clock, opener);
        return history;
    }

    private HistorySettings settings(Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(values);
        all.put("file", dir.resolve("h.db").toString());
        return Components.config(HistorySettings.class, all);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (history != null) {
            history.deactivate();
        }
    }

    private void sample(String host, String plugin, Metrics values) {
        received = received.plusMillis(1);
        history.sample(new PluginSample(host, plugin, received, received, Duration.ofMinutes(1), values));
    }

    private static Metrics value(String key, double v) {
        return Metrics.builder().put(key, v).build();
    }

    private Optional<List<HistoryPoint>> history(String host, String plugin, String metric) {
        return history.history(host, plugin, MetricPath.parse(metric), EVER, NEVER, 1000);
    }

    private int points(String host, String plugin, String metric) {
        return history(host, plugin, metric).map(List::size).orElse(0);
    }

    private long status(String key) {
        return (Long) history.status().get(key);
    }

    private List<String> warnings(String about) {
        return log.lines.stream().filter(l -> l.startsWith("WARN") && l.contains(about)).toList();
    }

    @Test
    void aHostKeepsNoMorePluginsThanItMayHaveAndTheOthersKeepReporting() {
        start(Map.of("maxPluginsPerHost", 2), HistoryStore::open);
        sample("web1", "a", value("v", 1));
        sample("web1", "b", value("v", 1));
        sample("web1", "c", value("v", 1));
        history.failure(new PluginFailure("web1", "d", received, null, "broken"));
        sample("web1", "a", value("v", 2));
        sample("web2", "c", value("v", 1));

        assertThat(history.plugins("web1")).containsOnlyKeys("a", "b");
        assertThat(history.plugins("web2")).containsOnlyKeys("c");
        assertThat(status("not_recorded_plugins_per_host")).isEqualTo(2);
        assertThat(status("max_plugins_per_host")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> points("web2", "c", "/v") == 1);
        assertThat(points("web1", "a", "/v")).as("the store keeps working").isEqualTo(2);
        assertThat(history("web1", "c", "/v")).as("nor in the history").isEmpty();
        assertThat(warnings("max_plugins_per_host")).as("said once, with the count").singleElement().asString()
                .contains("plugin c of web1").endsWith(", 1]");

        sample("web1", "e", value("v", 1));
        clock.advance(Duration.ofSeconds(60));
        sample("web1", "f", value("v", 1));
        assertThat(warnings("max_plugins_per_host")).hasSize(2).last().asString().contains("plugin f of web1")
                .endsWith(", 4]");
    }

    @Test
    void aRaisedLimitLetsTheNextPluginIn() {
        start(Map.of("maxPluginsPerHost", 1), HistoryStore::open);
        sample("web1", "a", value("v", 1));
        sample("web1", "b", value("v", 1));
        assertThat(history.plugins("web1")).containsOnlyKeys("a");

        history.modified(settings(Map.of("maxPluginsPerHost", 2)));
        sample("web1", "b", value("v", 1));
        assertThat(history.plugins("web1")).containsOnlyKeys("a", "b");
        assertThat(status("not_recorded_plugins_per_host")).isEqualTo(1);
    }

    @Test
    void aPluginKeepsNoMoreSeriesThanItMayHaveAndTheFirstKeepRecording() {
        start(Map.of("maxMetricsPerPlugin", 2), HistoryStore::open);
        Metrics three = Metrics.builder().put("m1", 1).put("m2", 2).put("m3", 3).build();
        sample("web1", "p", three);
        sample("web1", "p", three);
        sample("web1", "q", three);

        await().atMost(Duration.ofSeconds(5)).until(() -> status("not_recorded_metrics_per_plugin") == 3);
        assertThat(history.metrics("web1", "p")).extracting(MetricPath::toString).containsExactly("/m1", "/m2");
        assertThat(points("web1", "p", "/m1")).isEqualTo(2);
        assertThat(history.metrics("web1", "q")).as("each plugin has its own").hasSize(2);
        assertThat(history.plugins("web1").get("p").values()).as("the latest values are whole").contains(three);
        assertThat(warnings("max_metrics_per_plugin")).singleElement().asString()
                .contains("metric /m3 of plugin p of web1").endsWith(", 1]");
    }

    /** An in-memory store that says it is as large as the test wants. */
    private static final class SizedStore extends HistoryStore {
        volatile long used;
        volatile long size;

        SizedStore() {
            super(new MVStore.Builder().open(), null);
        }

        @Override
        long usedOnDisk() {
            return used;
        }

        @Override
        long sizeOnDisk() {
            return size;
        }
    }

    @Test
    void pastItsSizeTheStoreTakesNoNewSeriesPast110PercentNoValuesAndBothOnceSpaceIsFree() {
        SizedStore store = new SizedStore();
        start(Map.of("maxSizeMb", 10), f -> store);
        sample("web1", "cpu", value("old", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> points("web1", "cpu", "/old") == 1);

        store.used = 10 * MB + 1;
        store.size = 11 * MB;
        sample("web1", "cpu", Metrics.builder().put("old", 2).put("new", 2).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> points("web1", "cpu", "/old") == 2);
        assertThat(history("web1", "cpu", "/new")).isEmpty();
        assertThat(status("not_recorded_size_new_series")).isEqualTo(1);
        assertThat(history.status()).containsEntry("used_bytes", 10 * MB + 1).containsEntry("file_bytes", 11 * MB)
                .containsEntry("max_size_mb", 10L);

        store.size = 11 * MB + 1;
        sample("web1", "cpu", Metrics.builder().put("old", 3).put("new", 3).build());
        sample("web1", "cpu", Metrics.builder().put("old", 4).put("new", 4).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> status("not_recorded_size_points") == 4);
        assertThat(points("web1", "cpu", "/old")).isEqualTo(2);
        assertThat(history.plugins("web1").get("cpu").values().orElseThrow().number(MetricPath.parse("/old")))
                .as("the latest values go on").contains(4.0);
        assertThat(warnings("past 110%")).singleElement();
        assertThat(warnings("more than max_size_mb: new metrics")).singleElement();

        store.used = 5 * MB;
        sample("web1", "cpu", Metrics.builder().put("old", 5).put("new", 5).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> points("web1", "cpu", "/new") == 1);
        assertThat(points("web1", "cpu", "/old")).isEqualTo(3);
        assertThat(status("not_recorded_size_new_series")).isEqualTo(1);
        assertThat(status("not_recorded_size_points")).isEqualTo(4);
    }
}
