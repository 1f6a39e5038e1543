package org.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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

/** {@code hbd check} against a local HTTP server that answers {@code /api/check} as hbd does. */
class HbdCheckTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private Map<String, String[]> answers = Map.of();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String uri = exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null ? ""
                    : "?" + exchange.getRequestURI().getRawQuery());
            asked.add(uri);
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String[] answer = answers.getOrDefault(uri, new String[] {"3", "500",
                    "HEARTBEAT UNKNOWN - hbd does not know host x"});
            byte[] bytes = (answer[2] + "\n").getBytes(StandardCharsets.UTF_8);
            if (!answer[0].isEmpty()) {
                exchange.getResponseHeaders().add("X-Nagios-State", answer[0]);
            }
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(Integer.parseInt(answer[1]), bytes.length);
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
    void readsTheDaemonsAddressFromTheConfigurationAndPassesTheAnswerOn() throws Exception {
        answers = Map.of("/api/check/web1", new String[] {"2", "503",
                "HEARTBEAT CRITICAL - web1 is overdue since 2026-11-26T07:55:22Z | age=300s"});
        Cli run = Cli.hbd("check", "-c", config().toString(), "web1");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out().strip()).isEqualTo("HEARTBEAT CRITICAL - web1 is overdue since 2026-11-26T07:55:22Z"
                + " | age=300s");
        assertThat(asked).containsExactly("/api/check/web1");
    }

    @Test
    void aTokenIsSentAsBearerAndARefusalSaysWhatToDo() throws Exception {
        answers = Map.of("/api/check/web1", new String[] {"0", "200", "HEARTBEAT OK - web1 is up"});
        Cli run = Cli.hbd("check", "-c", config().toString(), "--token", "hbt_abc", "web1");
        assertThat(run.exit()).isZero();
        assertThat(authorizations).containsExactly("Bearer hbt_abc");

        answers = Map.of("/api/check/web1", new String[] {"", "401", "{\"status\":401,\"error\":\"x\"}"});
        Cli refused = Cli.hbd("check", "-c", config().toString(), "--token", "hbt_old", "web1");
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.out()).contains("refused the token").doesNotContain("hbt_old");
    }

    @Test
    void pluginMetricAndRangesAreAskedForEncoded() throws Exception {
        answers = Map.of("/api/check/web%201?plugin=disk_monitor&metric=%2Fpartitions%2F%7E1%2Fpercent&warning=85"
                + "&critical=%4090%3A95", new String[] {"1", "409", "HEARTBEAT WARNING - disk"});
        Cli run = Cli.hbd("check", "-c", config().toString(), "web 1", "-p", "disk_monitor", "-m",
                "/partitions/~1/percent", "-w", "85", "-C", "@90:95");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out().strip()).isEqualTo("HEARTBEAT WARNING - disk");
    }

    @Test
    void aStartingDaemonIsUnknown() throws Exception {
        answers = Map.of("/api/check/web1", new String[] {"", "503", "{\"status\":503}"});
        Cli run = Cli.hbd("check", "-c", config().toString(), "web1");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).contains("is starting or stopping");
    }

    @Test
    void somethingThatIsNotHbdIsUnknown() throws Exception {
        answers = Map.of("/api/check/web1", new String[] {"", "404", "not found"});
        Cli run = Cli.hbd("check", "-c", config().toString(), "web1");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).contains("answered 404");
    }

    @Test
    void noDaemonIsUnknownAndSaysWhere() throws Exception {
        // a bound socket that does not listen holds the port, so nothing else can take it, and refuses connections
        try (Socket held = new Socket()) {
            held.bind(new InetSocketAddress("127.0.0.1", 0));
            int closed = held.getLocalPort();
            Cli run = Cli.hbd("check", "--url", "http://127.0.0.1:" + closed, "web1");
            assertThat(run.exit()).isEqualTo(3);
            assertThat(run.out().strip()).isEqualTo("HEARTBEAT UNKNOWN - cannot reach hbd at http://127.0.0.1:" + closed
                    + ": connection refused (is it running?)");
        }
    }

    @Test
    void aDaemonThatDoesNotAnswerInTimeIsUnknown() throws Exception {
        // a listening socket whose connections are accepted by the kernel and never read: the request is sent,
        // no answer comes
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            Cli run = Cli.hbd("check", "--url", "http://127.0.0.1:" + silent.getLocalPort(), "-t", "0.3", "web1");
            assertThat(run.exit()).isEqualTo(3);
            assertThat(run.out().strip()).isEqualTo("HEARTBEAT UNKNOWN - hbd at http://127.0.0.1:"
                    + silent.getLocalPort() + " did not answer within 0.3 s");
        }
    }

    @Test
    void anAddressThatIsNotHttpIsUnknownAndNamed() throws Exception {
        Cli run = Cli.hbd("check", "--url", "ftp://127.0.0.1:" + server.getAddress().getPort(), "web1");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out().strip()).isEqualTo("HEARTBEAT UNKNOWN - --url must be an http:// or https:// address,"
                + " not ftp://127.0.0.1:" + server.getAddress().getPort());
        assertThat(asked).isEmpty();
    }

    @Test
    void wrongUsageIsUnknownAsNagiosExpects() throws Exception {
        assertThat(Cli.hbd("check").exit()).isEqualTo(3);
        assertThat(Cli.hbd("check", "web1", "--bogus").exit()).isEqualTo(3);
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
