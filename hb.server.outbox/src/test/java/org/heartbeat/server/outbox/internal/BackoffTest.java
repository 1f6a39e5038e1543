package org.heartbeat.server.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private static Backoff with(double random) {
        return new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(30), Duration.ofHours(1), () -> random);
    }

    @Test
    void theCeilingDoublesFromTheBaseUpToTheCap() {
        Backoff b = Backoff.DEFAULT;
        assertThat(b.ceiling(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.ceiling(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.ceiling(8)).isEqualTo(Duration.ofSeconds(1280));
        assertThat(b.ceiling(9)).isEqualTo(Duration.ofMinutes(30));
        assertThat(b.ceiling(10_000)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void theWaitLiesInTheUpperHalfOfTheCeiling() {
        assertThat(with(0).delay(3, Optional.empty())).isEqualTo(Duration.ofSeconds(20));
        assertThat(with(0.999_999).delay(3, Optional.empty())).isBetween(Duration.ofMillis(39_999),
                Duration.ofSeconds(40));
        for (int i = 0; i < 1000; i++) {
            assertThat(Backoff.DEFAULT.delay(1, Optional.empty())).isBetween(Duration.ofSeconds(5),
                    Duration.ofSeconds(10));
        }
    }

    @Test
    void aServicesDelayIsAtLeastWaitedButCapped() {
        assertThat(with(0).delay(1, Optional.of(Duration.ofSeconds(90)))).isEqualTo(Duration.ofSeconds(90));
        assertThat(with(0).delay(1, Optional.of(Duration.ofSeconds(1)))).as("the backoff is longer")
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(with(0).delay(1, Optional.of(Duration.ofDays(2)))).isEqualTo(Duration.ofHours(1));
    }
}
