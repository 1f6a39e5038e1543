package org.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/** {@code hbd check} against a local HTTP server that answers as hbd's API does. */
class HbdCheckTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private Map<String, String> answers = Map.of();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            asked.add(path);
            String body = answers.get(path);
            int status = body == null ? 404 : 200;
            if (body == null) {
                body = "{\"status\":404,\"error\":\"no host named x\"}";
            }
            byte[] bytes = body.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Path config() throws IOException {
        return Files.writeString(dir.resolve("hb.yaml"), "hbd_port: " + server.getAddress().getPort() + "\n");
    }

    @Test
    void readsTheDaemonsAddressFromTheConfigurationAndExitsWithTheState() throws Exception {
        answers = Map.of("/api/hosts/web1", "{'name':'web1','status':'overdue','last_seen':'2026-11-26T07:55:00Z',"
                + "'overdue_since':'2026-11-26T07:55:22Z','interval':20,'grace':2}");
        Cli run = Cli.hbd("check", "-c", config().toString(), "web1");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).startsWith("HEARTBEAT CRITICAL - web1 is overdue since 2026-11-26T07:55:22Z");
        assertThat(asked).containsExactly("/api/hosts/web1");
    }

    @Test
    void anUnknownHostIsUnknown() throws Exception {
        Cli run = Cli.hbd("check", "-c", config().toString(), "nosuch");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out().strip()).isEqualTo("HEARTBEAT UNKNOWN - hbd at http://127.0.0.1:"
                + server.getAddress().getPort() + " does not know host nosuch");
    }

    @Test
    void aMissingPluginIsUnknownAndTheOnesThereAreNamed() throws Exception {
        answers = Map.of("/api/hosts/web1", "{'name':'web1','status':'up'}",
                "/api/hosts/web1/plugins", "{'host':'web1','plugins':{'cpu_monitor':{},'disk_monitor':{}}}");
        Cli run = Cli.hbd("check", "-c", config().toString(), "web1", "--plugin", "nagios");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out().strip()).isEqualTo("HEARTBEAT UNKNOWN - web1 has no plugin nagios (it has cpu_monitor,"
                + " disk_monitor)");
    }

    @Test
    void aPluginMetricIsChecked() throws Exception {
        answers = Map.of("/api/hosts/web1", "{'name':'web1','status':'up'}",
                "/api/hosts/web1/plugins/disk_monitor", "{'host':'web1','plugin':'disk_monitor','state':{'status':'ok',"
                        + "'received':'2026-11-26T07:59:50Z','values':{'partitions':{'/':{'percent':97.2}}}}}");
        Cli run = Cli.hbd("check", "-c", config().toString(), "web1", "-p", "disk_monitor", "-m",
                "/partitions/~1/percent", "-w", "85", "-C", "95");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out().strip()).isEqualTo("HEARTBEAT CRITICAL - disk_monitor of web1: /partitions/~1/percent ="
                + " 97.2 (critical: 95) | /partitions/~1/percent=97.2;85;95");
    }

    @Test
    void noDaemonIsUnknownAndSaysWhere() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Cli run = Cli.hbd("check", "--url", "http://127.0.0.1:" + closed, "web1");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out().strip()).isEqualTo("HEARTBEAT UNKNOWN - cannot reach hbd at http://127.0.0.1:" + closed
                + ": connection refused (is it running?)");
    }

    @Test
    void wrongUsageIsUnknownAsNagiosExpects() throws Exception {
        assertThat(Cli.hbd("check").exit()).isEqualTo(3);
        assertThat(Cli.hbd("check", "web1", "--bogus").exit()).isEqualTo(3);
        Cli noMetric = Cli.hbd("check", "-c", config().toString(), "web1", "-w", "80");
        assertThat(noMetric.exit()).isEqualTo(3);
        assertThat(noMetric.out().strip()).isEqualTo("HEARTBEAT UNKNOWN - -w and -C need --metric");
        Cli badRange = Cli.hbd("check", "-c", config().toString(), "web1", "-p", "x", "-m", "/a", "-w", "high");
        assertThat(badRange.out()).contains("not a Nagios range: \"high\"");
        assertThat(asked).isEmpty();
    }

    @Test
    void aBrokenConfigurationIsUnknownAndNamed() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "hbd_port: many\n");
        Cli run = Cli.hbd("check", "-c", bad.toString(), "web1");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).startsWith("HEARTBEAT UNKNOWN - configuration: ").contains("hbd_port");
    }
}
