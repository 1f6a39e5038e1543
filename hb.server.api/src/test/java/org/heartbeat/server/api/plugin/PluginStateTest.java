package org.heartbeat.server.api.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.heartbeat.api.Metrics;
import org.heartbeat.server.api.plugin.PluginState.Status;
import org.junit.jupiter.api.Test;

class PluginStateTest {
    private static final Instant T = Instant.parse("2026-11-26T08:00:00Z");
    private static final Duration MINUTE = Duration.ofSeconds(60);
    private static final Metrics VALUES = Metrics.builder().put("cpu_percent", 12.5).build();

    private static PluginSample sample(Instant at) {
        return new PluginSample("web1", "cpu_monitor", at.minusMillis(5), at, MINUTE, VALUES);
    }

    private static PluginFailure failure(Instant at) {
        return new PluginFailure("web1", "cpu_monitor", at, MINUTE, "collection timed out");
    }

    @Test
    void aFreshSampleIsOk() {
        PluginState s = PluginState.of(sample(T));
        assertThat(s.status(T.plus(MINUTE.multipliedBy(3)))).isEqualTo(Status.OK);
        assertThat(s.values()).contains(VALUES);
        assertThat(s.failing()).isFalse();
    }

    @Test
    void aPluginSilentForThreeIntervalsIsStale() {
        assertThat(PluginState.of(sample(T)).status(T.plus(MINUTE.multipliedBy(3)).plusMillis(1)))
                .isEqualTo(Status.STALE);
    }

    @Test
    void aPluginWhoseLastWordWasAFailureTurnsStaleWhenSilentToo() {
        PluginState s = PluginState.of(sample(T)).withFailure(failure(T.plusSeconds(60)));
        assertThat(s.status(T.plusSeconds(61))).isEqualTo(Status.FAILING);
        assertThat(s.status(T.plusSeconds(60 + 181))).isEqualTo(Status.STALE);
    }

    @Test
    void aSampleAfterAFailureIsOkAgainAndTheErrorStaysForTheRecord() {
        PluginState s = PluginState.of(failure(T)).withSample(sample(T.plusSeconds(60)));
        assertThat(s.status(T.plusSeconds(61))).isEqualTo(Status.OK);
        assertThat(s.error()).contains("collection timed out");
        assertThat(s.lastHeard()).isEqualTo(T.plusSeconds(60));
    }

    @Test
    void withoutAnIntervalFiveMinutesOfSilenceMakeItStale() {
        PluginState s = PluginState.of(new PluginSample("h", "p", T, T, null, VALUES));
        assertThat(s.status(T.plus(PluginState.UNKNOWN_INTERVAL_WINDOW))).isEqualTo(Status.OK);
        assertThat(s.status(T.plus(PluginState.UNKNOWN_INTERVAL_WINDOW).plusMillis(1))).isEqualTo(Status.STALE);
    }

    @Test
    void aSampleNeedsItsArrivalTime() {
        assertThatThrownBy(() -> new PluginState(T, null, MINUTE, VALUES, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PluginState(null, null, MINUTE, null, "x", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void historyPointsSayWhetherTheyCombineSamples() {
        assertThat(HistoryPoint.of(T, 3).combined()).isFalse();
        assertThat(new HistoryPoint(T, 3, 1, 5, 4).combined()).isTrue();
        assertThatThrownBy(() -> new HistoryPoint(T, 1, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
