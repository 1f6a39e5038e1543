package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The range examples of the Nagios plugin guidelines, each value just inside and just outside. */
class NagiosRangeTest {
    @ParameterizedTest(name = "{0} alerts at {1}: {2}")
    @CsvSource({
            "10, -0.1, true", "10, 0, false", "10, 10, false", "10, 10.1, true",
            "10:, 9.9, true", "10:, 10, false", "10:, 1e9, false",
            "~:10, -1e9, false", "~:10, 10, false", "~:10, 10.5, true",
            "10:20, 9, true", "10:20, 10, false", "10:20, 20, false", "10:20, 21, true",
            "@10:20, 9, false", "@10:20, 10, true", "@10:20, 20, true", "@10:20, 21, false",
            "-5:-1, -3, false", "-5:-1, 0, true"})
    void alertsAsTheGuidelinesSay(String range, double value, boolean alerts) {
        assertThat(NagiosRange.parse(range).alerts(value)).isEqualTo(alerts);
    }

    @ParameterizedTest
    @CsvSource({"abc", "20:10", "1:2:3", "@"})
    void nonsenseIsRefusedWithExamples(String range) {
        assertThatThrownBy(() -> NagiosRange.parse(range)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a Nagios range: \"" + range + "\"");
    }
}
