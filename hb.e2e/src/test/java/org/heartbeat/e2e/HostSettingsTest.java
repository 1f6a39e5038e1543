package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Host operations of the API on a real bin/hbd: settings overrides put, shown, kept across {@code hbd reload} and
 * a restart, and removed; a reporting host forgotten; a configured host refused.
 */
class HostSettingsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void overridesSurviveReloadAndRestartAndHostsAreForgotten(@TempDir Path dir) throws Exception {
        Path config = Hbd.writeConfig(dir, "hosts:\n  fixed:\n    interval: 60\n");
        Hbd first = Hbd.startWith(dir, config);
        first.pinPorts();
        try (DatagramSocket socket = new DatagramSocket()) {
            send(socket, first, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> first.status("web1").equals("up"));
            assertThat(first.host("web1").orElseThrow().path("overrides").size()).isZero();

            HttpResponse<String> put = call(first, "PUT", "/api/hosts/web1/settings",
                    "{\"interval\": 5, \"notify_after\": 3}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(JSON.readTree(put.body())).isEqualTo(JSON.readTree("{\"interval\": 5, \"notify_after\": 3}"));
            awaitInterval(first, 5);
            assertThat(first.host("web1").orElseThrow().path("overrides").path("notify_after").asInt()).isEqualTo(3);
            assertThat(Files.readString(dir.resolve("hb.pick.overrides"))).contains("\"web1\"");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("hb.pick.overrides"))))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(config)).as("the operator's file is not rewritten").doesNotContain("web1");

            HttpResponse<String> refused = call(first, "PUT", "/api/hosts/web1/settings", "{\"interval\": \"soon\"}");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).path("error").asText()).startsWith("interval: ");
            assertThat(call(first, "PUT", "/api/hosts/web9/settings", "{\"interval\": 5}").statusCode()).isEqualTo(404);

            RunningProcess reload = Clients.hbd(dir, "reload", "-c", config.toString());
            assertThat(reload.awaitExit(Duration.ofSeconds(30))).as(reload.output()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> first.log().contains("reloaded configuration"));
            awaitInterval(first, 5);
            assertThat(first.host("web1").orElseThrow().path("overrides").path("interval").asInt()).isEqualTo(5);

            assertThat(first.process.stop()).as("hbd exit status after SIGTERM").isIn(0, 143);
            try (Hbd second = Hbd.startWith(dir, config)) {
                assertThat(second.log()).contains("with settings overrides for [web1]");
                awaitInterval(second, 5);
                send(socket, second, 2);

                HttpResponse<String> cleared = call(second, "DELETE", "/api/hosts/web1/settings", null);
                assertThat(cleared.statusCode()).isEqualTo(204);
                assertThat(second.host("web1").orElseThrow().path("overrides").size()).isZero();
                awaitInterval(second, 60);

                HttpResponse<String> configured = call(second, "DELETE", "/api/hosts/fixed", null);
                assertThat(configured.statusCode()).isEqualTo(409);
                assertThat(JSON.readTree(configured.body()).path("error").asText()).contains("hosts:");

                HttpResponse<String> forgotten = call(second, "DELETE", "/api/hosts/web1", null);
                assertThat(forgotten.statusCode()).as(forgotten.body()).isEqualTo(204);
                assertThat(second.get("/api/hosts/web1").status()).isEqualTo(404);
                assertThat(second.status("fixed")).isNotEqualTo("absent");
                // the journal writes on its own thread: the event is readable once it is on disk, a moment later
                await().atMost(Duration.ofSeconds(10)).until(() -> second.get(
                        "/api/events?host=web1&type=forgotten").body().size() > 0);
                JsonNode events = second.get("/api/events?host=web1&type=forgotten").body();
                assertThat(events.size()).isEqualTo(1);
                assertThat(events.get(0).path("message").asText()).isEqualTo("web1 forgotten by anonymous");
                assertThat(call(second, "DELETE", "/api/hosts/web1", null).statusCode()).isEqualTo(404);
            }
        }
    }

    private static void awaitInterval(Hbd hbd, double seconds) {
        await().atMost(Duration.ofSeconds(10)).until(() -> hbd.host("web1").orElseThrow().path("interval")
                .asDouble() == seconds);
    }

    /** A heartbeat of web1 announcing an interval of 60 s. */
    private static void send(DatagramSocket socket, Hbd hbd, long seq) throws Exception {
        long now = System.currentTimeMillis();
        byte[] d = Datagrams.encode(Heartbeat.of("web1", now * 1000 + seq, now, 60_000), null);
        socket.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
    }

    private static HttpResponse<String> call(Hbd hbd, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hbd.httpPort + path))
                .timeout(Duration.ofSeconds(30)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
