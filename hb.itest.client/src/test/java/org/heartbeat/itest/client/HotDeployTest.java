package org.heartbeat.itest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.heartbeat.api.MetricSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * A plugin bundle copied into the running hbc's plugin directory runs as soon as it is installed, with the
 * configuration the client's YAML gave it before the bundle existed; replaced, its new version runs; deleted, it stops without
 * a word. The heartbeats never miss a beat meanwhile.
 */
class HotDeployTest {
    private static final String PLUGIN = "itest_hot";
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
    void aDroppedPluginRunsOnceInstalledIsUpdatedInPlaceAndStopsCleanlyWhenDeleted() throws Exception {
        long start = System.nanoTime();
        assertThat(configAdmin.listConfigurations("(service.pid=" + MetricSource.CONFIG_PID_PREFIX + PLUGIN + ")"))
                .as("the YAML's configuration exists before the bundle").hasSize(1);
        assertThat(plugins.bundle(BSN)).isEmpty();

        Map<String, Long> events = new ConcurrentHashMap<>();
        BundleListener bundles = e -> {
            if (BSN.equals(e.getBundle().getSymbolicName())) {
                events.putIfAbsent(bundleEvent(e.getType()), System.nanoTime());
            }
        };
        ServiceListener services = e -> events.putIfAbsent("service " + e.getType(), System.nanoTime());
        context.addBundleListener(bundles);
        context.addServiceListener(services, "(" + MetricSource.NAME + "=" + PLUGIN + ")");
        long copied = System.nanoTime();
        plugins.drop(PLUGIN, "1.0.0");
        // the directory is polled every 0.5 s and a file taken once it looked the same twice: about 1.5 s here
        // (docs/BENCHMARKS.md); the ceiling only keeps a broken hot deploy from hanging the test
        await().atMost(Duration.ofSeconds(30)).until(() -> !server.samples(PLUGIN).isEmpty());
        // bundle events reach a BundleListener asynchronously: they may come after the sample
        await().atMost(Duration.ofSeconds(10)).until(() -> events.keySet().containsAll(List.of("installed",
                "started", "service " + ServiceEvent.REGISTERED)));
        context.removeBundleListener(bundles);
        context.removeServiceListener(services);
        FakeServer.Sample first = server.samples(PLUGIN).get(0);
        System.out.println("hot deploy: first PLUGIN_DATA " + TimeUnit.NANOSECONDS.toMillis(first.nanos() - copied)
                + " ms after the copy; " + events.entrySet().stream().sorted(Map.Entry.comparingByValue())
                        .map(e -> e.getKey() + " at " + TimeUnit.NANOSECONDS.toMillis(e.getValue() - copied) + " ms")
                        .collect(Collectors.joining(", ")));
        // what follows what: the copy, the bundle installed and started, its first sample. Not the service
        // listener's time: listeners are called one after the other, and hbc's, called before this one, may have
        // scheduled the plugin and had its first sample sent before this one hears of the registration
        assertThat(events.get("installed")).isGreaterThan(copied).isLessThan(events.get("started"));
        assertThat(first.nanos()).as("the first sample follows the bundle's installation")
                .isGreaterThan(events.get("installed"));
        assertThat(first.values()).containsEntry("version", "1.0.0").containsEntry("greeting", "configured in YAML")
                .containsEntry("count", 1L);
        assertThat(first.intervalMillis()).isEqualTo(1000);
        await().atMost(Duration.ofSeconds(30)).until(() -> server.samples(PLUGIN).size() >= 3);

        plugins.drop(PLUGIN, "1.1.0");
        await().atMost(Duration.ofSeconds(30)).until(() -> newest(server.samples(PLUGIN), "1.1.0") >= 2);
        List<FakeServer.Sample> samples = server.samples(PLUGIN);
        int firstNew = indexOfFirst(samples, "1.1.0");
        assertThat(samples.subList(firstNew, samples.size())).as("after the update only the new code runs")
                .allMatch(s -> "1.1.0".equals(s.values().get("version")));
        assertThat(samples.get(firstNew).values()).as("a new component, counting from 1").containsEntry("count", 1L);

        Files.delete(plugins.jar(PLUGIN));
        await().atMost(Duration.ofSeconds(30)).until(() -> plugins.bundle(BSN).isEmpty());
        long gone = System.nanoTime();
        // more than two of its 1 s intervals without a word
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10))
                .until(() -> server.about(PLUGIN, gone).isEmpty());
        assertThat(plugins.serviceRegistered(PLUGIN)).isFalse();
        assertThat(server.errors(PLUGIN)).as("no error at any point").isEmpty();

        server.assertHeartbeatsOnSchedule(start, System.nanoTime());
    }

    private static String bundleEvent(int type) {
        return switch (type) {
            case BundleEvent.INSTALLED -> "installed";
            case BundleEvent.RESOLVED -> "resolved";
            case BundleEvent.STARTED -> "started";
            default -> "bundle event " + type;
        };
    }

    private static long newest(List<FakeServer.Sample> samples, String version) {
        return samples.stream().filter(s -> version.equals(s.values().get("version"))).count();
    }

    private static int indexOfFirst(List<FakeServer.Sample> samples, String version) {
        for (int i = 0; i < samples.size(); i++) {
            if (version.equals(samples.get(i).values().get("version"))) {
                return i;
            }
        }
        throw new AssertionError("no sample of version " + version);
    }
}
