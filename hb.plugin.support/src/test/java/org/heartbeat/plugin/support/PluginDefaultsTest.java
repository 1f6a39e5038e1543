package org.heartbeat.plugin.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PluginDefaultsTest {

    @Test
    void theDefaultTimeoutIsFourFifthsOfTheIntervalAtMostThirtySeconds() {
        assertThat(PluginDefaults.timeout(10)).isEqualTo(8.0);
        assertThat(PluginDefaults.timeout(1)).isEqualTo(0.8);
        assertThat(PluginDefaults.timeout(37.5)).isEqualTo(30.0);
        assertThat(PluginDefaults.timeout(60)).isEqualTo(30.0);
        assertThat(PluginDefaults.timeout(86_400)).isEqualTo(30.0);
    }

    @Test
    void theDefaultTimeoutEndsBeforeTheNextCollectionIsDue() {
        for (double interval : new double[] {0.001, 0.1, 1, 2.5, 20, 37.5, 60, 3600}) {
            assertThat(PluginDefaults.timeout(interval)).as("interval %s", interval).isLessThan(interval)
                    .isPositive();
        }
    }

    @Test
    void withoutAnIntervalTheDefaultIntervalCounts() {
        assertThat(PluginDefaults.timeout(0)).isEqualTo(PluginDefaults.timeout(PluginDefaults.INTERVAL));
        assertThat(PluginDefaults.effectiveTimeout(0, 0)).isEqualTo(30.0);
        assertThat(PluginDefaults.effectiveTimeout(0, 5)).isEqualTo(4.0);
        assertThat(PluginDefaults.effectiveTimeout(12, 5)).as("a configured timeout wins").isEqualTo(12.0);
    }

    @Test
    void theMetatypeDescriptionsSayTheFiguresOfTheCode() {
        assertThat(PluginDefaults.INTERVAL_DESCRIPTION).contains("by default " + (long) PluginDefaults.INTERVAL + ".");
        assertThat(PluginDefaults.TIMEOUT_DESCRIPTION)
                .contains("by default " + Math.round(PluginDefaults.TIMEOUT_SHARE * 100) + " % of the interval")
                .contains("at most " + (long) PluginDefaults.MAX_DEFAULT_TIMEOUT + ".");
    }
}
