package org.heartbeat.itest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.heartbeat.itest.client.plugin.BrokenPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * A plugin whose constructor throws (its component cannot be created) is reported in the client's log as one line
 * that names the plugin, its bundle and the cause: no stack trace at the default level, and none of the warnings
 * about a null service that read like a bug in hbc.
 */
class ActivationFailureTest {
    private static final String PLUGIN = "itest_broken";
    private static final String BSN = PluginBundles.symbolicName(PLUGIN);

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
        plugins.remove(PLUGIN, BSN);
    }

    @Test
    void aPluginWhoseConstructorThrowsIsOneLineNamingThePluginAndTheCause() throws Exception {
        LogFile log = new LogFile(context);

        plugins.drop(PLUGIN, "1.0.0", BrokenPlugin.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> plugins.active(BSN));
        await().atMost(Duration.ofSeconds(10)).until(() -> log.lines().stream()
                .anyMatch(l -> l.contains("plugin " + PLUGIN + " ")));
        // give SCR and the framework time to add anything they would
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);

        List<String> lines = log.lines();
        String all = String.join("\n", lines);
        assertThat(lines).filteredOn(l -> l.contains(BrokenPlugin.CAUSE)).as(all).singleElement().asString()
                .contains("ERROR")
                .contains("plugin " + PLUGIN + " (bundle " + BSN + " 1.0.0) could not be created: "
                        + "IllegalStateException: " + BrokenPlugin.CAUSE);
        assertThat(lines).as(all).noneMatch(l -> l.contains("Service factory returned null"))
                .noneMatch(l -> l.contains("Could not get service"))
                .noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by:"))
                .noneMatch(l -> l.contains(PLUGIN) && l.contains("collects every"));
        assertThat(server.about(PLUGIN, 0)).as("nothing reaches the server").isEmpty();
    }
}
