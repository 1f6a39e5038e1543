package org.heartbeat.server.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.heartbeat.server.history.internal.Refusals.Reason;
import org.junit.jupiter.api.Test;

/** Every refusal counted; each reason logged at most once a minute, with its count so far. */
class RefusalsTest {
    private final Components.RecordingLogger log = new Components.RecordingLogger();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-26T08:00:00Z"));
    private final Refusals refusals = new Refusals(clock, log.logger);

    @Test
    void eachReasonIsSaidOnceAMinuteWithItsCount() {
        for (int i = 0; i < 1000; i++) {
            refusals.refuse(Reason.QUEUE_FULL, "sample " + i);
        }
        assertThat(log.lines).singleElement().asString().startsWith("WARN").contains("falls behind", "sample 0")
                .endsWith(", 1]");

        clock.advance(Duration.ofSeconds(59));
        refusals.refuse(Reason.QUEUE_FULL, "sample 1000");
        assertThat(log.lines).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        refusals.refuse(Reason.QUEUE_FULL, "sample 1001");
        assertThat(log.lines).hasSize(2).last().asString().contains("sample 1001").endsWith(", 1002]");
        assertThat(refusals.count(Reason.QUEUE_FULL)).isEqualTo(1002);
    }

    @Test
    void reasonsAreCountedAndSaidApart() {
        refusals.refuse(Reason.QUEUE_FULL, "x");
        refusals.refuse(Reason.SIZE_POINTS, "y");
        refusals.refuse(Reason.SIZE_POINTS, "z");
        assertThat(log.lines).hasSize(2);
        assertThat(refusals.counts()).containsEntry("not_recorded_queue_full", 1L)
                .containsEntry("not_recorded_size_points", 2L).containsEntry("not_recorded_plugins_per_host", 0L)
                .hasSize(Reason.values().length);
    }
}
