package org.heartbeat.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.heartbeat.api.MetricSource;
import org.heartbeat.config.ClientConfig;
import org.heartbeat.config.PluginSettings;
import org.junit.jupiter.api.Test;

/** The ConfigAdmin properties a plugin gets from its entry under plugins: in the client's configuration. */
class ClientTranslatorTest {

    @Test
    void aPluginEntryOfTheConfigurationFileIsFlattened() throws Exception {
        ClientConfig config = ClientConfig.parse("""
                servers: [hb.example.com]
                plugins:
                  disk_monitor:
                    interval: 30
                    timeout: 500ms
                    mounts: [/, /srv, 3]
                    checks:
                      load:
                        warn: 2.5
                        crit: 4
                      enabled: true
                      note:
                    label: main
                """);

        Hashtable<String, Object> properties = ClientTranslator.pluginProperties(config.plugins().get("disk_monitor"));

        assertThat(properties.keySet()).containsExactlyInAnyOrder(MetricSource.INTERVAL, MetricSource.TIMEOUT,
                "mounts", "checks.load.warn", "checks.load.crit", "checks.enabled", "label");
        assertThat(properties.get(MetricSource.INTERVAL)).isEqualTo(30.0);
        assertThat(properties.get(MetricSource.TIMEOUT)).isEqualTo(0.5);
        assertThat(properties.get("mounts")).isEqualTo(new String[] {"/", "/srv", "3"});
        assertThat(properties.get("checks.load.warn")).isEqualTo(2.5);
        assertThat(properties.get("checks.load.crit")).isEqualTo(4L);
        assertThat(properties.get("checks.enabled")).isEqualTo(true);
        assertThat(properties.get("label")).isEqualTo("main");
    }

    @Test
    void aPluginWithoutATimeoutLeavesItToTheScheduler() throws Exception {
        ClientConfig config = ClientConfig.parse("""
                plugins:
                  cpu_monitor:
                    interval: 10
                """);

        Hashtable<String, Object> properties = ClientTranslator.pluginProperties(config.plugins().get("cpu_monitor"));

        assertThat(properties).containsOnlyKeys(MetricSource.INTERVAL);
        assertThat(properties.get(MetricSource.INTERVAL)).isEqualTo(10.0);
    }

    @Test
    void intervalAndTimeoutAreDoublesInSeconds() {
        PluginSettings settings = new PluginSettings("p", OptionalDouble.of(1.5), OptionalDouble.of(0.25),
                Map.of());

        Hashtable<String, Object> properties = ClientTranslator.pluginProperties(settings);

        assertThat(properties.get(MetricSource.INTERVAL)).isInstanceOf(Double.class).isEqualTo(1.5);
        assertThat(properties.get(MetricSource.TIMEOUT)).isInstanceOf(Double.class).isEqualTo(0.25);
    }

    @Test
    void deeplyNestedMapsBecomeDottedKeys() {
        Map<String, Object> settings = Map.of("a", Map.of("b", Map.of("c", Map.of("d", "deep"))), "x", 1L);

        Hashtable<String, Object> properties = ClientTranslator.pluginProperties(new PluginSettings("p",
                OptionalDouble.of(60), OptionalDouble.of(30), settings));

        assertThat(properties).containsEntry("a.b.c.d", "deep").containsEntry("x", 1L)
                .doesNotContainKeys("a", "a.b", "a.b.c");
    }

    @Test
    void listsBecomeStringArraysInOrder() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("mixed", List.of(3L, 2.5, true, "text"));
        settings.put("empty", List.of());
        settings.put("nested", Map.of("names", List.of("b", "a")));

        Hashtable<String, Object> properties = ClientTranslator.pluginProperties(new PluginSettings("p",
                OptionalDouble.of(60), OptionalDouble.of(30), settings));

        assertThat(properties.get("mixed")).isEqualTo(new String[] {"3", "2.5", "true", "text"});
        assertThat(properties.get("empty")).isEqualTo(new String[0]);
        assertThat(properties.get("nested.names")).isEqualTo(new String[] {"b", "a"});
    }

    @Test
    void thePluginsOwnIntervalOrTimeoutKeyNeverReachesTheSchedulerAsOne() {
        Map<String, Object> settings = Map.of(MetricSource.INTERVAL, "often", MetricSource.TIMEOUT, "never");

        Hashtable<String, Object> properties = ClientTranslator.pluginProperties(new PluginSettings("p",
                OptionalDouble.empty(), OptionalDouble.empty(), settings));

        assertThat(properties).doesNotContainKeys(MetricSource.INTERVAL, MetricSource.TIMEOUT);
    }

    @Test
    void thePluginsOwnIntervalOrTimeoutKeyCannotOverrideTheScheduleValues() {
        Map<String, Object> settings = Map.of(MetricSource.INTERVAL, "often", MetricSource.TIMEOUT, "never");

        Hashtable<String, Object> properties = ClientTranslator.pluginProperties(new PluginSettings("p",
                OptionalDouble.of(20), OptionalDouble.of(5), settings));

        assertThat(properties.get(MetricSource.INTERVAL)).isEqualTo(20.0);
        assertThat(properties.get(MetricSource.TIMEOUT)).isEqualTo(5.0);
    }
}
