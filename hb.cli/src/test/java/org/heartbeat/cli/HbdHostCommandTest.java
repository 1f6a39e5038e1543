package org.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/** {@code hbd command} against a daemon played by the test: what it asks for and how it reports the answer. */
class HbdHostCommandTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " " + body);
            boolean known = exchange.getRequestURI().getRawPath().equals("/api/hosts/web%201/commands");
            byte[] answer = (known ? "{\"id\":4,\"name\":\"set-interval\",\"argument\":\"30\"}"
                    : "{\"status\":404,\"error\":\"no host named \\\"web9\\\"\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(known ? 201 : 404, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String config() throws IOException {
        return Files.writeString(dir.resolve("hb.yaml"), "hbd_port: " + server.getAddress().getPort() + "\n")
                .toString();
    }

    @Test
    void queuesThroughTheApiAndSaysWhatWasQueued() throws Exception {
        Cli run = Cli.hbd("command", "-c", config(), "web 1", "set-interval", "30");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(asked).containsExactly(
                "POST /api/hosts/web%201/commands {\"command\": \"set-interval\", \"argument\": \"30\"}");
        assertThat(run.out()).contains("queued for web 1: set-interval 30 (command 4;");
    }

    @Test
    void anUnknownHostIsAFailureNamingIt() throws Exception {
        Cli run = Cli.hbd("command", "-c", config(), "web9", "ping");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(asked).containsExactly("POST /api/hosts/web9/commands {\"command\": \"ping\", \"argument\": null}");
        assertThat(run.err()).contains("hbd: no host named \"web9\"");
    }
}
