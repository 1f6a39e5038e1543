package org.heartbeat.server.history.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.h2.mvstore.MVStore;
import org.heartbeat.api.MetricPath;
import org.heartbeat.api.Metrics;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.plugin.HistoryPoint;
import org.heartbeat.server.api.plugin.PluginFailure;
import org.heartbeat.server.api.plugin.PluginSample;
import org.heartbeat.server.api.plugin.PluginState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHistoryTest {
    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00.000123456Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Metrics CPU = Metrics.builder().put("cpu_percent", 12.5).put("cores", 4L)
            .list("per_cpu_percent", 10.0, 15.0).put("model", "Xeon").put("throttled", true).build();
    private static final MetricPath CPU_PERCENT = MetricPath.parse("/cpu_percent");
    private static final Instant EVER = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant NEVER = Instant.parse("2100-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final Components.RecordingLogger log = new Components.RecordingLogger();
    private final TestClock clock = new TestClock(T0);
    private PluginHistory history;

    private PluginHistory start(Path file) {
        return start(file, HistoryStore::open);
    }

    private PluginHistory start(Path file, PluginHistory.Opener opener) {
        history = new PluginHistory(Components.config(HistorySettings.class, Map.of("file", file.toString())),
                log.logger, clock, opener);
        return history;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (history != null) {
            history.deactivate();
        }
    }

    private static PluginSample sample(String host, String plugin, Instant received, Metrics values) {
        return new PluginSample(host, plugin, received.minusMillis(5), received, MINUTE, values);
    }

    private Optional<List<HistoryPoint>> cpuHistory(String host) {
        return history.history(host, "cpu_monitor", CPU_PERCENT, EVER, NEVER, 100);
    }

    @Test
    void aSampleIsTheLatestAtOnceAndInTheHistorySoonAfter() {
        PluginHistory h = start(dir.resolve("h.db"));
        h.sample(sample("web1", "cpu_monitor", T0, CPU));

        PluginState state = h.plugins("web1").get("cpu_monitor");
        assertThat(state.values()).contains(CPU);
        assertThat(state.time()).contains(T0.minusMillis(5));
        assertThat(state.received()).contains(T0);
        assertThat(state.interval()).contains(MINUTE);
        assertThat(state.status(T0.plus(MINUTE.multipliedBy(3)))).isEqualTo(PluginState.Status.OK);

        MetricPath second = MetricPath.parse("/per_cpu_percent/1");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> h.history("web1", "cpu_monitor", second, EVER, NEVER, 10).isPresent());
        assertThat(h.history("web1", "cpu_monitor", second, EVER, NEVER, 10).orElseThrow())
                .containsExactly(HistoryPoint.of(T0.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), 15.0));
        assertThat(h.metrics("web1", "cpu_monitor")).as("numbers and booleans, in code point order")
                .extracting(MetricPath::toString)
                .containsExactly("/cores", "/cpu_percent", "/per_cpu_percent/0", "/per_cpu_percent/1", "/throttled");
        assertThat(h.history("web1", "cpu_monitor", MetricPath.parse("/throttled"), EVER, NEVER, 10).orElseThrow())
                .extracting(HistoryPoint::value).containsExactly(1.0);
        assertThat(h.history("web1", "cpu_monitor", MetricPath.parse("/model"), EVER, NEVER, 10))
                .as("strings are kept as the latest value only").isEmpty();
    }

    @Test
    void historyCountsFromSinceUpToButNotIncludingUntil() {
        PluginHistory h = start(dir.resolve("h.db"));
        Instant t = Instant.parse("2026-11-26T08:00:00Z");
        for (int i = 0; i < 5; i++) {
            h.sample(sample("web1", "cpu_monitor", t.plusSeconds(i), Metrics.builder().put("cpu_percent", i).build()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> cpuHistory("web1").map(List::size).orElse(0) == 5);

        assertThat(h.history("web1", "cpu_monitor", CPU_PERCENT, t.plusSeconds(1), t.plusSeconds(3), 10)
                .orElseThrow()).extracting(HistoryPoint::value).containsExactly(1.0, 2.0);
        assertThat(h.history("web1", "cpu_monitor", CPU_PERCENT, t.plusSeconds(1).minusNanos(1),
                t.plusSeconds(3).plusNanos(1), 10).orElseThrow()).extracting(HistoryPoint::value)
                .as("a bound between milliseconds").containsExactly(1.0, 2.0, 3.0);
        assertThat(h.history("web1", "cpu_monitor", CPU_PERCENT, t, t.plusSeconds(10), 2).orElseThrow())
                .extracting(HistoryPoint::value).containsExactly(0.0, 1.0);
        assertThat(h.history("web1", "cpu_monitor", CPU_PERCENT, t.plusSeconds(3), t.plusSeconds(3), 10))
                .contains(List.of());
        assertThat(h.history("web1", "cpu_monitor", CPU_PERCENT, Instant.MIN, Instant.MAX, 10).orElseThrow())
                .hasSize(5);
        assertThatThrownBy(() -> h.history("web1", "cpu_monitor", CPU_PERCENT, t, t, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }

    @Test
    void aFailureMakesAPluginFailingUntilTheNextSampleAndKeepsItsValues() {
        PluginHistory h = start(dir.resolve("h.db"));
        h.sample(sample("web1", "cpu_monitor", T0, CPU));
        h.failure(new PluginFailure("web1", "cpu_monitor", T0.plusSeconds(1), null, "collection timed out after 30 s"));
        PluginState failing = h.plugins("web1").get("cpu_monitor");
        assertThat(failing.status(T0.plusSeconds(2))).isEqualTo(PluginState.Status.FAILING);
        assertThat(failing.values()).as("the last values stay").contains(CPU);
        assertThat(failing.interval()).as("an unannounced interval keeps the known one").contains(MINUTE);

        h.sample(sample("web1", "cpu_monitor", T0.plusSeconds(2), CPU));
        PluginState recovered = h.plugins("web1").get("cpu_monitor");
        assertThat(recovered.status(T0.plusSeconds(3))).isEqualTo(PluginState.Status.OK);
        assertThat(recovered.error()).contains("collection timed out after 30 s");
        assertThat(recovered.errorTime()).contains(T0.plusSeconds(1));
    }

    @Test
    void theStatusCountsPluginsByStatusAndAFailingPluginTurnsStaleWhenSilent() {
        PluginHistory h = start(dir.resolve("h.db"));
        h.sample(sample("web1", "cpu_monitor", T0, CPU));
        h.failure(new PluginFailure("web1", "nagios", T0, MINUTE, "no checks configured"));
        h.sample(sample("web2", "cpu_monitor", T0.minus(MINUTE.multipliedBy(4)), CPU));

        assertThat(h.status()).containsEntry("hosts", 2L).containsEntry("samples", 2L).containsEntry("errors", 1L)
                .containsEntry("plugins", Map.of("ok", 1L, "failing", 1L, "stale", 1L));
        clock.advance(MINUTE.multipliedBy(3).plusMillis(1));
        assertThat(h.status()).containsEntry("plugins", Map.of("ok", 0L, "failing", 0L, "stale", 3L));
    }

    @Test
    void latestValuesAndFailuresAreBackAfterReopeningTheFile() throws Exception {
        Path file = dir.resolve("h.db");
        PluginHistory first = start(file);
        first.sample(sample("web1", "cpu_monitor", T0, CPU));
        first.failure(new PluginFailure("web1", "nagios", T0.plusNanos(1), Duration.ofSeconds(30),
                "no checks configured"));
        Map<String, PluginState> before = first.plugins("web1");
        first.deactivate();

        PluginHistory second = start(file);
        assertThat(second.plugins("web1")).as("exactly, to the nanosecond").isEqualTo(before);
        PluginState nagios = second.plugins("web1").get("nagios");
        assertThat(nagios.values()).isEmpty();
        assertThat(nagios.status(T0.plusSeconds(1))).isEqualTo(PluginState.Status.FAILING);
        assertThat(second.history("web1", "cpu_monitor", CPU_PERCENT, EVER, NEVER, 10).orElseThrow())
                .extracting(HistoryPoint::value).containsExactly(12.5);
        assertThat(log.lines).anyMatch(l -> l.startsWith("INFO restored the latest values of {} plugins | 2"));
    }

    @Test
    void latestValuesWrittenInMillisecondsBeforeTheMoveAreRead() throws Exception {
        Path file = dir.resolve("h.db");
        try (HistoryStore old = HistoryStore.open(file)) {
            old.putLatest("web1", "cpu_monitor", bytes("""
                    {"time":1764144000000,"received":1764144000001,"interval":60000,
                     "values":{"cpu_percent":12.5,"cores":4},"error":null,"error_time":0}"""));
            old.putLatest("web1", "nagios", bytes("""
                    {"time":0,"received":0,"interval":0,"values":null,"error":"no checks","error_time":1764144000002}"""));
            old.putLatest("web1", "broken", bytes("{\"values\": 3"));
        }
        PluginHistory h = start(file);
        Instant t = Instant.ofEpochMilli(1_764_144_000_000L);
        assertThat(h.plugins("web1")).containsOnlyKeys("cpu_monitor", "nagios");
        assertThat(h.plugins("web1").get("cpu_monitor")).isEqualTo(new PluginState(t, t.plusMillis(1), MINUTE,
                Metrics.builder().put("cpu_percent", 12.5).put("cores", 4L).build(), null, null));
        assertThat(h.plugins("web1").get("nagios"))
                .isEqualTo(new PluginState(null, null, null, null, "no checks", t.plusMillis(2)));
        assertThat(log.lines).anyMatch(l -> l.startsWith("WARN latest values of plugin {} of {} are unreadable")
                && l.contains("broken"));
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aForgottenHostTakesItsValuesAndHistoryAlong() {
        PluginHistory h = start(dir.resolve("h.db"));
        h.sample(sample("web1", "cpu_monitor", T0, CPU));
        h.sample(sample("web2", "cpu_monitor", T0, CPU));
        await().atMost(Duration.ofSeconds(5)).until(() -> cpuHistory("web1").isPresent());

        h.hostEvent(HostEvent.builder(HostEvent.Type.OVERDUE, "web1").id(1).time(T0).build());
        assertThat(h.plugins("web1")).as("other events change nothing").containsOnlyKeys("cpu_monitor");

        h.hostEvent(HostEvent.builder(HostEvent.Type.FORGOTTEN, "web1").id(2).time(T0).build());
        assertThat(h.plugins("web1")).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> cpuHistory("web1").isEmpty());
        assertThat(h.metrics("web1", "cpu_monitor")).isEmpty();
        assertThat(h.plugins("web2")).containsOnlyKeys("cpu_monitor");
        assertThat(cpuHistory("web2")).isPresent();
    }

    @Test
    void aForgottenHostStaysForgottenOnDiskAfterARestart() throws Exception {
        Path file = dir.resolve("h.db");
        PluginHistory first = start(file);
        first.sample(sample("web1", "cpu_monitor", T0, CPU));
        first.hostEvent(HostEvent.builder(HostEvent.Type.FORGOTTEN, "web1").id(1).time(T0).build());
        first.deactivate();

        PluginHistory second = start(file);
        assertThat(second.all()).isEmpty();
        assertThat(cpuHistory("web1")).isEmpty();
    }

    /** A store whose writes wait until the test lets them go: a disk that hangs. */
    private static final class SlowStore extends HistoryStore {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        SlowStore() {
            super(new MVStore.Builder().open(), null);
        }

        @Override
        Outcome append(String host, String plugin, String metric, long timeMillis, double value) {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.append(host, plugin, metric, timeMillis, value);
        }
    }

    @Test
    void theListenerNeverWaitsForASlowStoreAndCountsWhatItCannotQueue() throws Exception {
        SlowStore slow = new SlowStore();
        PluginHistory h = start(dir.resolve("h.db"), f -> slow);
        try {
            h.sample(sample("web1", "cpu_monitor", T0, CPU));
            assertThat(slow.writing.await(5, TimeUnit.SECONDS)).as("the writer is stuck in the store").isTrue();

            int overflow = 10;
            Metrics last = Metrics.builder().put("cpu_percent", 99.0).build();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < PluginHistory.QUEUE + overflow - 1; i++) {
                    h.sample(sample("web1", "cpu_monitor", T0.plusMillis(i + 1), CPU));
                }
                h.sample(sample("web1", "cpu_monitor", T0.plusSeconds(60), last));
            });

            assertThat(h.plugins("web1").get("cpu_monitor").values()).as("the latest value is there at once")
                    .contains(last);
            assertThat(h.status()).containsEntry("not_recorded_queue_full", (long) overflow)
                    .containsEntry("queued", (long) PluginHistory.QUEUE);
            assertThat(log.lines.stream().filter(l -> l.contains("falls behind")))
                    .as("said once, with the count").singleElement().asString().endsWith(", 1]");
        } finally {
            slow.release.countDown();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> h.status().get("queued").equals(0L));
        assertThat(h.history("web1", "cpu_monitor", CPU_PERCENT, EVER, NEVER, 100_000).orElseThrow())
                .as("the one being written and every one queued").hasSize(PluginHistory.QUEUE + 1);
    }

    @Test
    void aHostForgottenWhileTheStoreIsBehindIsStillForgotten() throws Exception {
        SlowStore slow = new SlowStore();
        PluginHistory h = start(dir.resolve("h.db"), f -> slow);
        try {
            h.sample(sample("web1", "cpu_monitor", T0, CPU));
            assertThat(slow.writing.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i <= PluginHistory.QUEUE; i++) {
                h.sample(sample("web1", "cpu_monitor", T0.plusMillis(i + 1), CPU));
            }
            assertThat(h.status()).containsEntry("not_recorded_queue_full", 1L);
            h.hostEvent(HostEvent.builder(HostEvent.Type.FORGOTTEN, "web1").id(1).time(T0).build());
        } finally {
            slow.release.countDown();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> h.status().get("queued").equals(0L));
        assertThat(h.plugins("web1")).isEmpty();
        assertThat(cpuHistory("web1")).as("neither the queued samples nor the one being written bring it back")
                .isEmpty();
    }

    @Test
    void aFileThatCannotBeOpenedLeavesValuesInMemoryAndSaysWhy() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain"), "x");
        PluginHistory h = start(notADirectory.resolve("h.db"));
        h.sample(sample("web1", "cpu_monitor", T0, CPU));
        assertThat(h.plugins("web1")).containsOnlyKeys("cpu_monitor");
        assertThat(h.status().get("problem")).asString().contains(notADirectory.toString());
        assertThat(h.status().get("file")).isNull();
        assertThat(log.lines).anyMatch(l -> l.startsWith("ERROR") && l.contains("in memory only"));
        await().atMost(Duration.ofSeconds(5)).until(() -> cpuHistory("web1").isPresent());
    }

    @Test
    void anotherFileTakesTheLatestValuesAlong() throws Exception {
        PluginHistory h = start(dir.resolve("first.db"));
        h.sample(sample("web1", "cpu_monitor", T0, CPU));
        Path second = dir.resolve("second.db");
        h.modified(Components.config(HistorySettings.class, Map.of("file", second.toString())));
        await().atMost(Duration.ofSeconds(5)).until(() -> second.toString().equals(h.status().get("file")));
        h.deactivate();
        history = null;

        PluginHistory reopened = start(second);
        assertThat(reopened.plugins("web1")).containsOnlyKeys("cpu_monitor");
    }
}
