package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The shipped plugins between the real hbc and the real hbd: the tutorial's client configuration verbatim,
 * values in the API, the history and /metrics, kept across a restart of hbd, and Nagios both ways with the real
 * checks of monitoring-plugins.
 */
@EnabledOnOs(OS.LINUX) // values are checked against /proc
class PluginsTest {
    /** The tutorial's ~/.hbc.yaml, word for word. */
    private static final String TUTORIAL_HBC_YAML = """
            hb_port: 50003
            interval: 10 # Send a heartbeat every 10 seconds
            plugins:
              cpu_monitor:
                interval: 60
              memory_monitor:
                interval: 60
              disk_monitor:
                interval: 60
            """;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    private static JsonNode plugins(Hbd hbd, String host) throws Exception {
        Hbd.Response r = hbd.get("/api/hosts/" + host + "/plugins");
        return r.status() == 200 ? r.body().path("plugins") : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String text(Hbd hbd, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hbd.httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long memTotal() throws IOException {
        Matcher m = Pattern.compile("(?m)^MemTotal:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/meminfo")));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1)) * 1024;
    }

    @Test
    void theTutorialsClientConfigurationSendsCpuMemoryAndDiskValuesThatShowInTheApiHistoryAndMetrics(
            @TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve(".hbc.yaml"), TUTORIAL_HBC_YAML);
        try (Hbd hbd = Hbd.start(dir, "interval: 10\ngrace: 2\n");
                RunningProcess hbc = Clients.hbc(dir, "-n", "e2e-tutorial", "-c", config.toString(),
                        "127.0.0.1:" + hbd.udpPort)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                JsonNode p = plugins(hbd, "e2e-tutorial");
                return p.has("cpu_monitor") && p.has("memory_monitor") && p.has("disk_monitor");
            });
            JsonNode p = plugins(hbd, "e2e-tutorial");
            JsonNode cpu = p.path("cpu_monitor");
            assertThat(cpu.path("status").asText()).isEqualTo("ok");
            assertThat(cpu.path("interval").asInt()).isEqualTo(60);
            assertThat(cpu.path("values").path("cpu_percent").asDouble()).isBetween(0.0, 100.0);
            assertThat(cpu.path("values").path("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(cpu.path("values").path("per_cpu_percent").size()).isEqualTo(cpu.path("values").path("cores").asInt());

            JsonNode memory = p.path("memory_monitor").path("values");
            assertThat(memory.path("total").asLong()).isEqualTo(memTotal());
            assertThat(memory.path("percent").asDouble()).isBetween(0.0, 100.0);

            JsonNode root = p.path("disk_monitor").path("values").path("partitions").path("/");
            long total = Files.getFileStore(Path.of("/")).getTotalSpace();
            assertThat(root.path("total").asLong()).isEqualTo(total);
            assertThat(root.path("percent").asDouble()).isBetween(0.0, 100.0);

            String history = "/api/hosts/e2e-tutorial/plugins/disk_monitor/history?metric="
                    + URLEncoder.encode("/partitions/~1/total", StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(5)).until(() -> hbd.get(history).status() == 200);
            JsonNode points = hbd.get(history).body().path("points");
            assertThat(points.size()).isEqualTo(1);
            assertThat(points.get(0).path("value").asDouble()).isEqualTo((double) total);

            // the RTT of a heartbeat travels with the next one, which comes half to a whole interval later
            await().atMost(Duration.ofSeconds(15)).until(() -> hbd.host("e2e-tutorial").orElseThrow()
                    .path("rtt_ms").isNumber());
            String metrics = text(hbd, "/metrics");
            assertThat(metrics).contains("heartbeat_host_up{host=\"e2e-tutorial\"} 1\n")
                    .contains("heartbeat_plugin_value{host=\"e2e-tutorial\",plugin=\"memory_monitor\",metric=\"/total\"} "
                            + memTotal() + "\n")
                    .containsPattern("heartbeat_plugin_value\\{host=\"e2e-tutorial\",plugin=\"cpu_monitor\","
                            + "metric=\"/cpu_percent\"} [0-9.]+\n")
                    .containsPattern("heartbeat_host_rtt_seconds\\{host=\"e2e-tutorial\"} [0-9.E-]+\n");
            assertThat(hbc.output()).doesNotContain("WARN", "ERROR");
        }
    }

    @Test
    void pluginValuesAndTheirHistoryAreBackAfterHbdRestarts(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("hbc.yaml"), "plugins:\n  memory_monitor:\n    interval: 60\n");
        Path hbdConfig;
        String received;
        int udp;
        try (Hbd hbd = Hbd.start(dir, "interval: 10\n");
                RunningProcess hbc = Clients.hbc(dir, "-n", "e2e-restart", "-i", "10", "-c", config.toString(),
                        "127.0.0.1:" + hbd.udpPort)) {
            hbdConfig = hbd.config;
            udp = hbd.udpPort;
            await().atMost(Duration.ofSeconds(20)).until(() -> plugins(hbd, "e2e-restart").has("memory_monitor"));
            received = plugins(hbd, "e2e-restart").path("memory_monitor").path("received").asText();
            await().atMost(Duration.ofSeconds(5)).until(() -> hbd.get("/api/hosts/e2e-restart/plugins/memory_monitor"
                    + "/history?metric=%2Ftotal").status() == 200);
        }
        // the same ports again, as a restarted daemon has them
        String yaml = Files.readString(hbdConfig).replace("hb_port: 0", "hb_port: " + udp);
        try (Hbd again = Hbd.startWith(dir, Files.writeString(hbdConfig, yaml))) {
            JsonNode memory = plugins(again, "e2e-restart").path("memory_monitor");
            assertThat(memory.path("received").asText()).as("restored, not sent again").isEqualTo(received);
            assertThat(memory.path("values").path("total").asLong()).isEqualTo(memTotal());
            JsonNode points = again.get("/api/hosts/e2e-restart/plugins/memory_monitor/history?metric=%2Ftotal")
                    .body().path("points");
            assertThat(points.size()).isEqualTo(1);
            assertThat(again.log()).contains("restored the latest values of 1 plugins");
        }
    }

    @Test
    void nagiosBothWaysWithTheRealChecksOfMonitoringPlugins(@TempDir Path dir) throws Exception {
        assertThat(Path.of("/usr/lib/nagios/plugins/check_dummy"))
                .as("Debian's monitoring-plugins-basic (CI installs it)").isExecutable();
        Path config = Files.writeString(dir.resolve("hbc.yaml"), """
                plugins:
                  nagios:
                    interval: 2
                    checks:
                      fine: "check_dummy 0 'all is well'"
                      filling: "check_dummy 1 'disk getting full'"
                      load: "check_load -w 1000,1000,1000 -c 2000,2000,2000"
                """);
        try (Hbd hbd = Hbd.start(dir, "interval: 1\ngrace: 1\n")) {
            hbd.pinPorts();
            RunningProcess hbc = Clients.hbc(dir, "-n", "e2e-nagios", "-i", "1", "-c", config.toString(),
                    "127.0.0.1:" + hbd.udpPort);
            await().atMost(Duration.ofSeconds(20)).until(() -> plugins(hbd, "e2e-nagios").path("nagios")
                    .path("values").path("checks").size() == 3);
            JsonNode checks = plugins(hbd, "e2e-nagios").path("nagios").path("values");
            assertThat(checks.path("worst_status").asText()).isEqualTo("WARNING");
            assertThat(checks.path("checks").path("load").path("status").asText()).isEqualTo("OK");
            double load1 = checks.path("checks").path("load").path("perfdata").path("load1").path("value").asDouble();
            assertThat(load1).isCloseTo(loadAverage(), within(2.0));

            await().atMost(Duration.ofSeconds(10)).until(() -> hbd.host("e2e-nagios").orElseThrow()
                    .path("rtt_ms").isNumber());
            // hbd check reads the daemon's address from the same configuration file hbd uses
            String hbdConfig = hbd.config.toString();
            RunningProcess up = Clients.hbd(dir, "check", "-c", hbdConfig, "e2e-nagios");
            assertThat(up.awaitExit(Duration.ofSeconds(30))).as(up.output()).isZero();
            assertThat(up.output()).startsWith("HEARTBEAT OK - e2e-nagios is up, last heartbeat ")
                    .containsPattern("\\| age=[0-9.]+s rtt=[0-9.]+ms interval=1s");

            RunningProcess nagios = Clients.hbd(dir, "check", "-c", hbdConfig, "e2e-nagios", "--plugin", "nagios");
            assertThat(nagios.awaitExit(Duration.ofSeconds(30))).as(nagios.output()).isEqualTo(1);
            assertThat(nagios.output()).startsWith("HEARTBEAT WARNING - nagios of e2e-nagios: 3 checks, 1 WARNING, 2 OK"
                    + " - filling: WARNING: disk getting full | load/load1=");

            RunningProcess metric = Clients.hbd(dir, "check", "-c", hbdConfig, "e2e-nagios", "--plugin", "nagios",
                    "--metric", "/checks/load/perfdata/load1/value", "-w", "1000", "-C", "2000");
            assertThat(metric.awaitExit(Duration.ofSeconds(30))).as(metric.output()).isZero();
            RunningProcess critical = Clients.hbd(dir, "check", "-c", hbdConfig, "e2e-nagios", "--plugin", "nagios",
                    "--metric", "/checks/filling/state", "-C", "0");
            assertThat(critical.awaitExit(Duration.ofSeconds(30))).as(critical.output()).isEqualTo(2);

            hbc.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> hbd.status("e2e-nagios").equals("overdue"));
            RunningProcess overdue = Clients.hbd(dir, "check", "-c", hbdConfig, "e2e-nagios");
            assertThat(overdue.awaitExit(Duration.ofSeconds(30))).as(overdue.output()).isEqualTo(2);
            assertThat(overdue.output()).startsWith("HEARTBEAT CRITICAL - e2e-nagios is overdue since ");

            RunningProcess unknown = Clients.hbd(dir, "check", "-c", hbdConfig, "no-such-host");
            assertThat(unknown.awaitExit(Duration.ofSeconds(30))).isEqualTo(3);
        }
    }

    private static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }
}
