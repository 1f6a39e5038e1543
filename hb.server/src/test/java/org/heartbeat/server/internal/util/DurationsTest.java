package org.heartbeat.server.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations as people read them in the log and in events. */
class DurationsTest {

    @ParameterizedTest(name = "{0} ms is \"{1}\"")
    @CsvSource({
        "0, 0 ms",
        "850, 850 ms",
        "999, 999 ms",
        "1000, 1 s",
        "3500, 3.5 s",
        "3050, 3 s",
        "9999, 9.9 s",
        "22000, 22 s",
        "22700, 22 s",
        "59999, 59 s",
        "60000, 1 min",
        "192000, 3 min 12 s",
        "3599999, 59 min 59 s",
        "3600000, 1 h",
        "7500000, 2 h 5 min",
        "86399999, 23 h 59 min",
        "86400000, 1 d",
        "273600000, 3 d 4 h",
        "31536000000, 365 d",
    })
    void human(long millis, String expected) {
        assertThat(Durations.human(millis)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ms is \"{1}\"")
    @CsvSource({
        "-850, -850 ms",
        "-3500, -3.5 s",
        "-192000, -3 min 12 s",
        "-273600000, -3 d 4 h",
    })
    void negativeDurationsGetAMinusSign(long millis, String expected) {
        assertThat(Durations.human(millis)).isEqualTo(expected);
    }

    @Test
    void longestDurationIsInDays() {
        assertThat(Durations.human(Long.MAX_VALUE)).isEqualTo("106751991167 d 7 h");
    }

    /** -Long.MIN_VALUE is Long.MIN_VALUE: negating it must not recurse forever. */
    @Test
    void mostNegativeDurationDoesNotOverflowTheStack() {
        assertThatCode(() -> Durations.human(Long.MIN_VALUE)).doesNotThrowAnyException();
    }
}
