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

/** {@code hbd forget} against a daemon played by the test: web 1 is forgotten, db1 is configured. */
class HbdForgetTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            if (exchange.getRequestURI().getRawPath().equals("/api/hosts/web%201")) {
                exchange.sendResponseHeaders(204, -1);
            } else {
                byte[] answer = "{\"status\":409,\"error\":\"db1 is in the configuration file's hosts:; remove it there\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(409, answer.length);
                exchange.getResponseBody().write(answer);
            }
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
    void forgetsThroughTheApi() throws Exception {
        Cli run = Cli.hbd("forget", "-c", config(), "web 1");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(asked).containsExactly("DELETE /api/hosts/web%201");
        assertThat(run.out()).contains("forgot web 1");
    }

    @Test
    void aConfiguredHostIsAFailureWithTheDaemonsReason() throws Exception {
        Cli run = Cli.hbd("forget", "-c", config(), "db1");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("hbd: db1 is in the configuration file's hosts:; remove it there");
    }
}
