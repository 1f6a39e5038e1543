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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/USERS.md: an admin sees every host; another user the hosts they own, and nothing of the others. */
class OwnershipTest {
    /** Password "pw": hashlib.pbkdf2_hmac("sha256", b"pw", b"owners", 1000).hex(). */
    static final String HASH = "pbkdf2:sha256:1000$owners$6c8435933a2a3d52f920a3cc23500718eaac9e9c6e18e1250e1d56e1a67df557";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    private static HttpResponse<String> get(Hbd hbd, String user, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hbd.httpPort + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":pw")
                        .getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aUserSeesTheHostsTheyOwnAndAnAdminSeesAll(@TempDir Path dir) throws Exception {
        try (Hbd hbd = Hbd.start(dir, """
                users:
                  alice: {password: "HASH", admin: true}
                  bob: {password: "HASH"}
                hosts:
                  bobs-box: {owner: bob}
                """.replace("HASH", HASH)); DatagramSocket socket = new DatagramSocket()) {
            long seq = System.currentTimeMillis() * 1000;
            for (String host : new String[] {"bobs-box", "web1"}) {
                byte[] d = Datagrams.encode(Heartbeat.of(host, seq++, System.currentTimeMillis(), 60_000), null);
                socket.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> get(hbd, "alice", "/api/hosts").body()
                    .contains("\"web1\"") && get(hbd, "alice", "/api/hosts").body().contains("\"status\":\"up\""));

            assertThat(get(hbd, "alice", "/api/hosts").body()).contains("\"bobs-box\"").contains("\"web1\"");
            HttpResponse<String> bobs = get(hbd, "bob", "/api/hosts");
            assertThat(bobs.statusCode()).isEqualTo(200);
            assertThat(bobs.body()).contains("\"bobs-box\"").doesNotContain("web1");
            assertThat(get(hbd, "bob", "/api/hosts/bobs-box").statusCode()).isEqualTo(200);
            // another's host does not exist for bob: the same answer as a host nobody has
            HttpResponse<String> other = get(hbd, "bob", "/api/hosts/web1");
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(other.body()).isEqualTo(get(hbd, "bob", "/api/hosts/nosuchhost").body()
                    .replace("nosuchhost", "web1"));
            assertThat(get(hbd, "bob", "/api/hosts/web1/plugins").statusCode()).isEqualTo(404);
            assertThat(get(hbd, "bob", "/api/hosts/web1/events").statusCode()).isEqualTo(404);
            assertThat(get(hbd, "alice", "/api/hosts/web1").statusCode()).isEqualTo(200);

            // the journal: every host's events for alice, bob's own for bob, page by page
            await().atMost(Duration.ofSeconds(10)).until(() -> get(hbd, "alice", "/api/events").body()
                    .contains("\"host\":\"web1\"") && get(hbd, "alice", "/api/events").body()
                    .contains("\"host\":\"bobs-box\""));
            HttpResponse<String> bobsEvents = get(hbd, "bob", "/api/events");
            assertThat(bobsEvents.statusCode()).isEqualTo(200);
            assertThat(bobsEvents.body()).contains("\"host\":\"bobs-box\"").doesNotContain("web1");
            assertThat(get(hbd, "bob", "/api/events?host=web1").body()).isEqualTo("[]");
            HttpResponse<String> firstPage = get(hbd, "bob", "/api/events?limit=1");
            assertThat(firstPage.body()).contains("\"host\":\"bobs-box\"").doesNotContain("web1");
            assertThat(firstPage.headers().firstValue("Link")).hasValueSatisfying(link -> assertThat(link)
                    .contains("after=").contains("rel=\"next\""));

            // /api/check (check_http, hbd check): another's host is unknown to bob
            assertThat(get(hbd, "bob", "/api/check/bobs-box").body()).startsWith("HEARTBEAT OK - bobs-box is up");
            assertThat(get(hbd, "bob", "/api/check/web1").body().strip())
                    .isEqualTo("HEARTBEAT UNKNOWN - hbd does not know host web1");
            assertThat(get(hbd, "alice", "/api/check/web1").body()).startsWith("HEARTBEAT OK - web1 is up");

            // /metrics: the hosts bob owns, none of the server's own series
            String aliceMetrics = get(hbd, "alice", "/metrics").body();
            assertThat(aliceMetrics).contains("heartbeat_host_up{host=\"web1\"} 1")
                    .contains("heartbeat_host_up{host=\"bobs-box\"} 1").contains("heartbeat_udp_datagrams_total");
            HttpResponse<String> bobsMetrics = get(hbd, "bob", "/metrics");
            assertThat(bobsMetrics.statusCode()).isEqualTo(200);
            assertThat(bobsMetrics.body()).contains("heartbeat_host_up{host=\"bobs-box\"} 1")
                    .doesNotContain("web1").doesNotContain("heartbeat_udp_datagrams_total")
                    .doesNotContain("heartbeat_listener_behind");
        }
    }
}
