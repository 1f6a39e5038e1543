package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ParamsTest {
    private static final Instant NOW = Instant.parse("2025-11-26T00:00:00Z");

    @Test
    void timesAreIso8601InstantsDatesOffsetsOrDurationsBeforeNow() {
        assertThat(Params.time("since", "2025-11-26T00:00:00Z", NOW, null)).isEqualTo(NOW);
        assertThat(Params.time("since", "2025-11-26T00:00:00.250Z", NOW, null)).isEqualTo(NOW.plusMillis(250));
        assertThat(Params.time("since", "2025-11-26T01:00:00+01:00", NOW, null)).isEqualTo(NOW);
        assertThat(Params.time("since", "2025-11-26", NOW, null)).isEqualTo(NOW);
        assertThat(Params.time("since", "PT1H", NOW, null)).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(Params.time("since", "-P1D", NOW, null)).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(Params.time("since", null, NOW, Instant.EPOCH)).isEqualTo(Instant.EPOCH);
        assertThatThrownBy(() -> Params.time("until", "yesterday", NOW, null))
                .hasMessageStartingWith("until: not an ISO-8601 time or duration: \"yesterday\"");
    }

    @Test
    void numbersAndStepsAreChecked() {
        assertThat(Params.integer("limit", "50", 100, 1, 10_000)).isEqualTo(50);
        assertThat(Params.integer("limit", null, 100, 1, 10_000)).isEqualTo(100);
        assertThatThrownBy(() -> Params.integer("limit", "0", 100, 1, 10_000))
                .hasMessage("limit: a whole number from 1 to 10000, got \"0\"");
        assertThatThrownBy(() -> Params.integer("after", "x", 0, 0, 5)).hasMessageStartingWith("after:");
        assertThat(Params.step("60")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Params.step(null)).isNull();
        assertThatThrownBy(() -> Params.step("0.5")).hasMessageStartingWith("step:");
    }
}
