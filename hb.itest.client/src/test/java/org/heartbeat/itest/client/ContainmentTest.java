package org.heartbeat.itest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Plugins that throw, hang or spin through interrupts are reported to the server as PLUGIN_ERRORs that say
 * what happened, and delay neither the heartbeats nor a well-behaved plugin running beside them.
 */
class ContainmentTest {
    private static final List<String> PLUGINS = List.of("itest_throws", "itest_hangs", "itest_spins", "itest_steady");

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
        for (String p : PLUGINS) {
            plugins.remove(p, PluginBundles.symbolicName(p));
        }
    }

    @Test
    void misbehavingPluginsAreReportedAndDelayNothing() throws Exception {
        long start = System.nanoTime();
        for (String p : PLUGINS) {
            plugins.drop(p, "1.0.0");
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> server.errors("itest_spins").stream()
                .anyMatch(e -> e.startsWith("an abandoned collection")) && server.samples("itest_steady").size() >= 3);

        assertThat(server.errors("itest_throws")).hasSizeGreaterThanOrEqualTo(2)
                .allMatch("IOException: sensor unplugged"::equals);
        assertThat(server.errors("itest_hangs")).hasSizeGreaterThanOrEqualTo(2)
                .allMatch("collection timed out after 0.5 s and was interrupted"::equals);
        assertThat(server.errors("itest_spins")).first().isEqualTo("collection timed out after 0.5 s and was interrupted");
        assertThat(server.errors("itest_spins")).anyMatch(e -> e.contains("ignores the interrupt and is still running; "
                + "its thread is abandoned"));
        assertThat(server.samples("itest_spins")).as("the spinner's late result is dropped").isEmpty();
        assertThat(server.samples("itest_throws")).isEmpty();
        assertThat(server.samples("itest_hangs")).isEmpty();
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("hbc-plugin-itest_spins-abandoned"));

        List<FakeServer.Sample> steady = server.samples("itest_steady");
        assertThat(steady).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < steady.size(); i++) {
            long gap = TimeUnit.NANOSECONDS.toMillis(steady.get(i).nanos() - steady.get(i - 1).nanos());
            assertThat(gap).as("the steady plugin's samples %d ms apart", gap)
                    .isLessThanOrEqualTo(1000 + FakeServer.TOLERANCE_MILLIS);
        }
        server.assertHeartbeatsOnSchedule(start, System.nanoTime());
    }
}
