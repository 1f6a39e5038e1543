package org.heartbeat.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.heartbeat.api.MetricPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricStoreTest {
    @TempDir
    Path dir;

    private final Components.RecordingLogger log = new Components.RecordingLogger();
    private MetricStore store;

    private MetricStore start(Path file) {
        store = new MetricStore(Components.config(HistorySettings.class, Map.of("file", file.toString())), log.logger);
        return store;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (store != null) {
            store.deactivate();
        }
    }

    private static final Map<String, Object> CPU = Map.of("cpu_percent", 12.5, "cores", 4L,
            "per_cpu_percent", List.of(10.0, 15.0));

    @Test
    void aSampleIsTheLatestAtOnceAndInTheHistorySoonAfter() {
        MetricStore s = start(dir.resolve("h.db"));
        long now = System.currentTimeMillis();
        assertThat(s.sample("web1", "cpu_monitor", now - 5, 60_000, CPU, now)).isTrue();

        PluginState state = s.plugins("web1").get("cpu_monitor");
        assertThat(state.values().asMap()).isEqualTo(CPU);
        assertThat(state.timeMillis()).isEqualTo(now - 5);
        assertThat(state.receivedMillis()).isEqualTo(now);
        assertThat(state.intervalMillis()).isEqualTo(60_000);
        assertThat(state.failing()).isFalse();
        assertThat(state.fresh(now + 180_000)).isTrue();
        assertThat(state.fresh(now + 180_001)).isFalse();

        await().atMost(Duration.ofSeconds(5)).until(() -> s.history("web1", "cpu_monitor",
                MetricPath.parse("/per_cpu_percent/1"), 0, now, 10) != null);
        assertThat(s.history("web1", "cpu_monitor", MetricPath.parse("/per_cpu_percent/1"), 0, now, 10))
                .extracting(HistoryStore.Point::value).containsExactly(15.0);
        assertThat(s.metrics("web1", "cpu_monitor"))
                .containsExactlyInAnyOrder("/cpu_percent", "/cores", "/per_cpu_percent/0", "/per_cpu_percent/1");
    }

    @Test
    void anErrorMakesAPluginFailingUntilTheNextSample() {
        MetricStore s = start(dir.resolve("h.db"));
        s.sample("web1", "cpu_monitor", 1000, 60_000, CPU, 1000);
        s.error("web1", "cpu_monitor", 0, "collection timed out after 30 s", 2000);
        PluginState failing = s.plugins("web1").get("cpu_monitor");
        assertThat(failing.failing()).isTrue();
        assertThat(failing.values().asMap()).as("the last values stay").isEqualTo(CPU);
        assertThat(failing.intervalMillis()).as("an unannounced interval keeps the known one").isEqualTo(60_000);

        s.sample("web1", "cpu_monitor", 3000, 60_000, CPU, 3000);
        PluginState recovered = s.plugins("web1").get("cpu_monitor");
        assertThat(recovered.failing()).isFalse();
        assertThat(recovered.error()).isEqualTo("collection timed out after 30 s");
        assertThat(recovered.errorMillis()).isEqualTo(2000);
    }

    @Test
    void aTreeThatIsNoSampleIsRefusedAndNamed() {
        MetricStore s = start(dir.resolve("h.db"));
        assertThat(s.sample("web1", "odd", 1, 1, Map.of("", 1L), 1)).isFalse();
        assertThat(s.plugins("web1")).isEmpty();
        assertThat(log.lines).anyMatch(l -> l.contains("odd") && l.contains("key"));
        assertThat(s.status()).containsEntry("rejected", 1L);
    }

    @Test
    void latestValuesAndErrorsAreBackAfterARestart() throws Exception {
        Path file = dir.resolve("h.db");
        MetricStore first = start(file);
        long now = System.currentTimeMillis();
        first.sample("web1", "cpu_monitor", now, 60_000, CPU, now);
        first.error("web1", "nagios", 30_000, "no checks configured", now + 1);
        first.deactivate();

        MetricStore second = start(file);
        assertThat(second.plugins("web1")).containsOnlyKeys("cpu_monitor", "nagios");
        PluginState cpu = second.plugins("web1").get("cpu_monitor");
        assertThat(cpu.values().asMap()).isEqualTo(CPU);
        assertThat(cpu.receivedMillis()).isEqualTo(now);
        PluginState nagios = second.plugins("web1").get("nagios");
        assertThat(nagios.values()).isNull();
        assertThat(nagios.failing()).isTrue();
        assertThat(nagios.error()).isEqualTo("no checks configured");
        assertThat(second.history("web1", "cpu_monitor", MetricPath.parse("/cpu_percent"), 0, now, 10))
                .extracting(HistoryStore.Point::value).containsExactly(12.5);
    }

    @Test
    void aForgottenHostTakesItsValuesAndHistoryAlong() {
        MetricStore s = start(dir.resolve("h.db"));
        long now = System.currentTimeMillis();
        s.sample("web1", "cpu_monitor", now, 60_000, CPU, now);
        s.sample("web2", "cpu_monitor", now, 60_000, CPU, now);
        await().atMost(Duration.ofSeconds(5)).until(() -> s.history("web1", "cpu_monitor",
                MetricPath.parse("/cpu_percent"), 0, now, 10) != null);

        s.hostEvent(new HostEvent(HostEvent.Type.FORGOTTEN, "web1", now, "web1 forgotten"));
        assertThat(s.plugins("web1")).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.history("web1", "cpu_monitor",
                MetricPath.parse("/cpu_percent"), 0, now, 10) == null);
        assertThat(s.plugins("web2")).containsOnlyKeys("cpu_monitor");
    }

    @Test
    void aFileThatCannotBeOpenedLeavesValuesInMemoryAndSaysWhy() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain"), "x");
        MetricStore s = start(notADirectory.resolve("h.db"));
        long now = System.currentTimeMillis();
        assertThat(s.sample("web1", "cpu_monitor", now, 60_000, CPU, now)).isTrue();
        assertThat(s.plugins("web1")).containsOnlyKeys("cpu_monitor");
        assertThat(s.status().get("problem")).asString().contains(notADirectory.toString());
        assertThat(s.status().get("file")).isNull();
        assertThat(log.lines).anyMatch(l -> l.startsWith("ERROR") && l.contains("in memory only"));
    }
}
