package org.heartbeat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** The caps of the {@code history:} section: what hosts can make the server keep, whatever they send. */
class HistoryConfigTest {
    @Test
    void capsDefaultTo64Plugins1000MetricsAnd2048Mb() {
        HistoryConfig d = ServerConfig.defaults().history();
        assertThat(d.maxPluginsPerHost()).isEqualTo(64);
        assertThat(d.maxMetricsPerPlugin()).isEqualTo(1000);
        assertThat(d.maxSizeMb()).isEqualTo(2048);
    }

    @Test
    void capsAreRead() throws Exception {
        HistoryConfig c = ServerConfig.parse("""
                history:
                  max_plugins_per_host: 8
                  max_metrics_per_plugin: 1_500
                  max_size_mb: 100
                """).history();
        assertThat(c.maxPluginsPerHost()).isEqualTo(8);
        assertThat(c.maxMetricsPerPlugin()).isEqualTo(1500);
        assertThat(c.maxSizeMb()).isEqualTo(100);
        assertThat(ServerConfig.parse("history:\n  max_size_mb: 1\n").history().maxSizeMb()).isEqualTo(1);
    }

    @Test
    void capsOutOfRangeOrNotWholeNumbersAreNamedWithTheirLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ServerConfig.parse("""
                history:
                  file: /tmp/h.db
                  max_plugins_per_host: 0
                  max_metrics_per_plugin: 1000001
                  max_size_mb: 2GB
                """));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "history.max_plugins_per_host: must be between 1 and 10000, got 0 (line 3)",
                "history.max_metrics_per_plugin: must be between 1 and 1000000, got 1000001 (line 4)",
                "history.max_size_mb: expected a whole number, got \"2GB\" (line 5)");
    }

    @Test
    void aMistypedCapIsWarnedAboutWithTheKeyItResembles() throws Exception {
        ServerConfig c = ServerConfig.parse("history:\n  max_size_mbs: 10\n");
        assertThat(c.warnings()).extracting(ConfigProblem::toString)
                .containsExactly("history.max_size_mbs: unknown key, ignored; did you mean \"max_size_mb\"? (line 2)");
        assertThat(c.history().maxSizeMb()).isEqualTo(2048);
    }
}
