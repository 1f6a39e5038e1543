package org.heartbeat.itest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Hashtable;

import org.heartbeat.api.MetricSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/** A plugin runs exactly while it has a configuration: installed without one it waits, added one it starts. */
class ConfigurationTest {
    private static final String PLUGIN = "itest_late";
    private static final String BSN = PluginBundles.symbolicName(PLUGIN);
    private static final String PID = MetricSource.CONFIG_PID_PREFIX + PLUGIN;

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    private FakeServer server;
    private PluginDirectory plugins;

    @BeforeEach
    void setUp() throws Exception {
        server = FakeServer.get(configAdmin);
        plugins = new PluginDirectory(context);
    }

    @AfterEach
    void tearDown() throws Exception {
        Configuration[] left = configAdmin.listConfigurations("(service.pid=" + PID + ")");
        if (left != null) {
            left[0].delete();
        }
        plugins.remove(PLUGIN, BSN);
    }

    @Test
    void aPluginWithoutConfigurationWaitsAndStartsWhenItArrives() throws Exception {
        long start = System.nanoTime();
        assertThat(configAdmin.listConfigurations("(service.pid=" + PID + ")")).isNull();

        plugins.drop(PLUGIN, "1.0.0");
        await().atMost(Duration.ofSeconds(10)).until(() -> plugins.active(BSN));
        long active = System.nanoTime();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> !plugins.serviceRegistered(PLUGIN) && server.about(PLUGIN, start).isEmpty());

        Hashtable<String, Object> settings = new Hashtable<>();
        settings.put(MetricSource.INTERVAL, 1.0);
        settings.put(MetricSource.TIMEOUT, 1.0);
        settings.put("greeting", "added later");
        configAdmin.getConfiguration(PID, "?").update(settings);

        await().atMost(Duration.ofSeconds(5)).until(() -> !server.samples(PLUGIN).isEmpty());
        assertThat(server.samples(PLUGIN).get(0).values()).containsEntry("greeting", "added later");
        assertThat(server.samples(PLUGIN).get(0).nanos()).isGreaterThan(active);

        configAdmin.getConfiguration(PID, "?").delete();
        await().atMost(Duration.ofSeconds(5)).until(() -> !plugins.serviceRegistered(PLUGIN));
        long unconfigured = System.nanoTime();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> server.about(PLUGIN, unconfigured).isEmpty());
        assertThat(server.errors(PLUGIN)).isEmpty();
        server.assertHeartbeatsOnSchedule(start, System.nanoTime());
    }
}
