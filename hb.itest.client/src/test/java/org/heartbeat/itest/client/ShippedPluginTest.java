package org.heartbeat.itest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.heartbeat.protocol.PluginData;
import org.heartbeat.protocol.PluginError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The plugins of the assembled distribution (hb.dist/target/heartbeat/plugins/hbc) resolve against the base
 * runtime alone when dropped into a running client; the one the YAML configures ({@code cpu_monitor:
 * {interval: 60}}) reports at once, the others stay quiet.
 */
class ShippedPluginTest {
    private static final List<String> SHIPPED = List.of("hb.plugin.cpu", "hb.plugin.memory", "hb.plugin.disk",
            "hb.plugin.network", "hb.plugin.nagios");

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    private FakeServer server;
    private PluginDirectory plugins;
    private final List<Path> copied = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        server = FakeServer.get(configAdmin);
        plugins = new PluginDirectory(context);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Path p : copied) {
            Files.deleteIfExists(p);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> SHIPPED.stream().allMatch(bsn -> plugins.bundle(bsn).isEmpty()));
    }

    @Test
    void theDistributionsPluginsDeployAndOnlyTheConfiguredOneReports() throws Exception {
        Path dist = Path.of(context.getProperty("itest.dist.plugins"));
        List<Path> jars;
        try (Stream<Path> files = Files.list(dist)) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        assertThat(jars).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(SHIPPED.stream().map(bsn -> bsn + ".jar").toList());
        long start = System.nanoTime();

        for (Path jar : jars) {
            copied.add(copy(jar, plugins.jar("shipped-" + jar.getFileName().toString().replace(".jar", ""))));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> SHIPPED.stream().allMatch(plugins::active));
        await().atMost(Duration.ofSeconds(10)).until(() -> !server.samples("cpu_monitor").isEmpty());
        assertThat(server.errors("cpu_monitor")).isEmpty();
        FakeServer.Sample sample = server.samples("cpu_monitor").get(0);
        assertThat(sample.intervalMillis()).isEqualTo(60_000);
        assertThat(sample.values()).isNotEmpty();
        System.out.println("cpu_monitor sample: " + sample.values());

        long settled = System.nanoTime();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> unconfiguredReports(start)
                .isEmpty());
        assertThat(server.samples("cpu_monitor")).as("interval 60 s: one sample so far").hasSize(1);
        for (String bsn : SHIPPED) {
            assertThat(plugins.bundle(bsn).orElseThrow().getState()).as(bsn).isEqualTo(Bundle.ACTIVE);
        }
        server.assertHeartbeatsOnSchedule(start, Math.max(settled, System.nanoTime()));
    }

    /** Plugin datagrams after {@code since} from anything but cpu_monitor and the other tests' plugins. */
    private List<String> unconfiguredReports(long since) {
        return server.received().stream().filter(r -> r.nanos() > since).map(r -> r.message() instanceof PluginData d
                ? d.plugin() : r.message() instanceof PluginError e ? e.plugin() : null)
                .filter(p -> p != null && !p.equals("cpu_monitor") && !p.startsWith("itest_")).toList();
    }

    private static Path copy(Path from, Path to) throws IOException {
        Path tmp = Files.createTempFile(to.getParent().getParent(), "shipped", ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
    }
}
