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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every valid host name can be named in the API's paths, percent-encoded: also {@code .}, {@code ..}, and names
 * with {@code %} or a backslash, which the servlet container would otherwise resolve or refuse.
 */
class HostNamesTest {
    private static final Map<String, String> ENCODED = Map.of(".", "%2E", "..", "%2E%2E", "50%", "50%25",
            "a\\b", "a%5Cb", "web1.example.org", "web1.example.org");

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    @Test
    void oddButValidNamesCanBeFetched(@TempDir Path dir) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        try (Hbd hbd = Hbd.start(dir, ""); DatagramSocket socket = new DatagramSocket()) {
            for (String name : ENCODED.keySet()) {
                long now = System.currentTimeMillis();
                byte[] hb = Datagrams.encode(Heartbeat.of(name, now * 1000, now, 60_000), null);
                socket.send(new DatagramPacket(hb, hb.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> hbd.get("/api/hosts").body().size() == ENCODED.size());
            for (Map.Entry<String, String> e : ENCODED.entrySet()) {
                String base = "http://127.0.0.1:" + hbd.httpPort + "/api/hosts/" + e.getValue();
                HttpResponse<String> host = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(host.statusCode()).as(base).isEqualTo(200);
                assertThat(json.readTree(host.body()).path("name").asText()).isEqualTo(e.getKey());

                HttpResponse<String> events = http.send(HttpRequest.newBuilder(URI.create(base + "/events")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(events.statusCode()).as(base + "/events").isEqualTo(200);
                JsonNode list = json.readTree(events.body());
                assertThat(list.size()).as("the new-host event of " + e.getKey()).isEqualTo(1);
                assertThat(list.get(0).path("host").asText()).isEqualTo(e.getKey());

                HttpResponse<String> check = http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + hbd.httpPort + "/api/check/" + e.getValue())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(check.body()).as("/api/check/" + e.getValue()).startsWith("HEARTBEAT OK - " + e.getKey()
                        + " is up");
            }
            assertThat(hbd.get("/api/hosts/%2E%2E%2Fetc").status()).isEqualTo(404);
        }
    }
}
