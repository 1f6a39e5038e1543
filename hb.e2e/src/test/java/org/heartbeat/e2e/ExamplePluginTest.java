package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.jar.Manifest;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * examples/uptime-monitor as its author uses it (docs/PLUGIN_DEVELOPMENT.md): built on its own with its own pom
 * against hb.api ({@link ExampleProject}), its jar dropped into a running hbc whose configuration already names it,
 * its values read back from hbd's API.
 */
@EnabledOnOs(OS.LINUX) // the example reads /proc
class ExamplePluginTest {
    private static final String HOST = "e2e-example";
    private static final String PLUGIN = "uptime_monitor";

    @BeforeAll
    static void built() throws IOException {
        Dist.requireBuilt();
        ExampleProject.requireBuilt("hb.api");
    }

    @Test
    void theExamplePluginBuildsOnItsOwnAndItsValuesReachTheServer(@TempDir Path dir) throws Exception {
        Path jar = ExampleProject.build(dir, "uptime-monitor", "hb.api");
        Manifest manifest = ExampleProject.manifest(jar);
        assertThat(manifest.getMainAttributes().getValue("Bundle-SymbolicName")).isEqualTo("com.example.uptime");
        assertThat(manifest.getMainAttributes().getValue("Import-Package")).contains("org.heartbeat.api;version=");

        Path plugins = Files.createDirectories(dir.resolve("client-plugins"));
        Path clientConfig = dir.resolve("hbc.yaml");
        Files.writeString(clientConfig, "interval: 1\nplugin_dir: " + plugins + "\nplugins:\n  " + PLUGIN
                + ":\n    interval: 2\n    report_idle: true\n");
        try (Hbd hbd = Hbd.start(dir, "");
                RunningProcess hbc = Clients.hbc(dir, "-v", "-c", clientConfig.toString(), "-n", HOST,
                        "127.0.0.1:" + hbd.udpPort)) {
            awaitLog(hbc, "plugins configured: " + PLUGIN);
            awaitLog(hbc, "reporting as " + HOST);
            assertThat(hbc.output()).as("configured, but no bundle yet").doesNotContain("plugin " + PLUGIN);

            double uptimeBefore = procUptime();
            Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Path deployed = plugins.resolve("uptime-monitor.jar");
            Path partial = Files.copy(jar, plugins.resolve(".uptime-monitor.jar.tmp")); // not *.jar: not picked up
            Files.move(partial, deployed, StandardCopyOption.ATOMIC_MOVE);

            awaitLog(hbc, "plugin " + PLUGIN + " (\\(.*\\) )?collects every 2(\\.0)? s");
            // three values: uptime_seconds, boot_time and, as report_idle reached the plugin, idle_percent
            awaitLog(hbc, "plugin " + PLUGIN + ": sent 3 values");
            await("plugin datagrams counted by hbd").atMost(Duration.ofSeconds(10))
                    .until(() -> hbd.get("/api/status").body().path("datagrams").path("plugin_messages").asLong() > 0);

            Hbd.Response response = await(PLUGIN + "'s values at GET /api/hosts/" + HOST + "/plugins")
                    .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> hbd.get("/api/hosts/" + HOST + "/plugins"), r -> r.status() == 200
                            && r.body().path("plugins").path(PLUGIN).path("values").isObject());
            double uptimeAfter = procUptime();
            Instant after = Instant.now();

            assertThat(response.body().path("host").asText()).isEqualTo(HOST);
            JsonNode plugin = response.body().path("plugins").path(PLUGIN);
            assertThat(plugin.path("error").isNull()).as("error in %s", plugin).isTrue();
            assertThat(plugin.path("interval").asDouble()).isEqualTo(2.0);
            assertThat(Instant.parse(plugin.path("time").asText())).isBetween(before, after);
            JsonNode values = plugin.path("values");
            assertThat(values.path("uptime_seconds").isNumber()).as("uptime_seconds in %s", values).isTrue();
            assertThat(values.path("uptime_seconds").asDouble()).isBetween(uptimeBefore, uptimeAfter);
            assertThat(values.path("boot_time").asLong())
                    .isCloseTo(after.getEpochSecond() - (long) uptimeAfter, within(5L));
            assertThat(values.path("idle_percent").asDouble(-1)).isBetween(0.0, 100.0);

            Files.delete(deployed);
            awaitLog(hbc, "plugin " + PLUGIN + " removed");
        }
    }

    /** Waits for a line of hbc's log; fails with the whole log. */
    private static void awaitLog(RunningProcess hbc, String regex) {
        try {
            hbc.awaitLine(regex, Duration.ofSeconds(20));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no line /" + regex + "/ in hbc's log:\n" + hbc.output(), e);
        }
    }

    private static double procUptime() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    }
}
