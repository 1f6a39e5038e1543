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
import java.util.concurrent.atomic.AtomicLong;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert lifecycle against the real bin/hbd and its shipped Pushover channel, with short windows so the suite
 * stays fast: dependencies, the storm guard, flapping, reminders and acknowledgement, delivery that survives a
 * {@code kill -9} while the service is down, and a pair of hbds watching each other ({@code peers:}).
 */
class LifecycleTest {
    static final String TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
    static final String USER = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
    /** Password "pw", made with Python: hashlib.pbkdf2_hmac("sha256", b"pw", b"lifecycle", 1000).hex(). */
    static final String HASH = "pbkdf2:sha256:1000$lifecycle$4a10b2b8becbb6b3b0a44d90ed39889494ed6920ee24ea153199964d4fe10cc3";
    static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final AtomicLong seq = new AtomicLong(System.currentTimeMillis() * 1000);

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    static String config(LocalPushover pushover, String more) {
        return """
                grace: 1
                notify_after: 1
                plugin_dir: DIST
                notification_channels:
                  ops:
                    type: pushover
                    token: TOKEN
                    user: USER
                    api_url: URL
                    max_per_hour: 0
                users:
                  alice:
                    password: "HASH"
                    admin: true
                    notification_channels: [ops]
                default_owner: alice
                """.replace("DIST", Dist.HOME.resolve("plugins/hbd").toString()).replace("TOKEN", TOKEN)
                .replace("USER", USER).replace("URL", pushover.url()).replace("HASH", HASH) + more;
    }

    private void heartbeat(DatagramSocket socket, int port, String... hosts) throws Exception {
        for (String host : hosts) {
            byte[] d = Datagrams.encode(Heartbeat.of(host, seq.getAndIncrement(), System.currentTimeMillis(), 1000),
                    null);
            socket.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    private static HttpResponse<String> api(Hbd hbd, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hbd.httpPort + path))
                .header("Authorization", AUTH).timeout(Duration.ofSeconds(20));
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the shipped Pushover channel is active in hbd (FileInstall installs it after start). */
    private static void channelUp(Hbd hbd) {
        await().atMost(Duration.ofSeconds(30)).until(() -> api(hbd, "GET", "/api/channels", null).body()
                .contains("\"available\":true"));
    }

    @Test
    void aRouterAndTheHostsBehindItAreToldAsOneAndAStormAsASummary(@TempDir Path dir) throws Exception {
        try (LocalPushover pushover = new LocalPushover(TOKEN, USER);
                DatagramSocket socket = new DatagramSocket();
                Hbd hbd = Hbd.start(dir, config(pushover, """
                        alerting:
                          file: ALERTS
                          storm_hosts: 5
                          storm_window: 30s
                        hosts:
                          router1: {}
                          web1: {depends_on: router1}
                          web2: {depends_on: [router1]}
                        """.replace("ALERTS", dir.resolve("alerts.db").toString())))) {
            channelUp(hbd);
            // the router and the two hosts behind it fall silent together
            heartbeat(socket, hbd.udpPort, "web1", "web2", "router1");
            // the children are named in the router's notice, or (when the router's deadline came first) in one
            // summary a few seconds on; never each in a notice of its own
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    String told = pushover.messages.stream().filter(m -> m.title().equals("router1 is overdue")
                            || m.title().endsWith("behind router1 overdue too")).map(m -> m.text())
                            .reduce("", String::concat);
                    return told.contains("web1") && told.contains("web2");
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("told: " + pushover.titles() + "\nhistory: "
                        + api(hbd, "GET", "/api/alerts/history", null).body(), e);
            }
            assertThat(pushover.titles()).contains("router1 is overdue")
                    .doesNotContain("web1 is overdue", "web2 is overdue");

            // six unrelated hosts at once: with the router, five within the window: three more go out at once,
            // the rest in one summary
            heartbeat(socket, hbd.udpPort, "s1", "s2", "s3", "s4", "s5", "s6");
            await().atMost(Duration.ofSeconds(20)).until(() -> pushover.titles().stream()
                    .anyMatch(t -> t.endsWith("overdue (storm guard)")));
            assertThat(pushover.titles().stream().filter(t -> t.matches("s\\d is overdue"))).hasSize(3);
            assertThat(pushover.titles()).contains("3 more hosts are overdue (storm guard)");
            assertThat(pushover.problems).isEmpty();
        }
    }

    @Test
    void aFlappingHostIsToldOnceAndRemindersStopWhenAcknowledged(@TempDir Path dir) throws Exception {
        try (LocalPushover pushover = new LocalPushover(TOKEN, USER);
                DatagramSocket socket = new DatagramSocket();
                Hbd hbd = Hbd.start(dir, config(pushover, """
                        alerting:
                          file: ALERTS
                          flapping_changes: 3
                          flapping_window: 5m
                          remind_every: 2s
                        """.replace("ALERTS", dir.resolve("alerts.db").toString())))) {
            channelUp(hbd);
            // flap: overdue, back, overdue: the third change is told as flapping, not as overdue
            heartbeat(socket, hbd.udpPort, "flappy");
            await().atMost(Duration.ofSeconds(10)).until(() -> pushover.titles().contains("flappy is overdue"));
            heartbeat(socket, hbd.udpPort, "flappy");
            await().atMost(Duration.ofSeconds(10)).until(() -> pushover.titles().contains("flappy recovered"));
            await().atMost(Duration.ofSeconds(10)).until(() -> pushover.titles()
                    .contains("flappy: overdue is flapping"));
            assertThat(pushover.titles().stream().filter(t -> t.equals("flappy is overdue"))).hasSize(1);

            // reminders for a host that stays down, until someone acknowledges
            heartbeat(socket, hbd.udpPort, "down1");
            await().atMost(Duration.ofSeconds(15)).until(() -> pushover.titles().contains(
                    "Reminder: down1 is overdue"));
            HttpResponse<String> ack = api(hbd, "POST", "/api/alerts/ack", "{\"host\": \"down1\", \"comment\": \"x\"}");
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
            assertThat(ack.body()).contains("down1/overdue");
            // a reminder queued before the acknowledgement may still be on its way: let it land
            await().atMost(Duration.ofSeconds(15)).until(() -> !api(hbd, "GET", "/api/outbox?state=pending", null)
                    .body().contains("Reminder: down1"));
            long before = pushover.titles().stream().filter(t -> t.equals("Reminder: down1 is overdue")).count();
            // a later host's reminder comes more than a reminder interval on: no reminder of down1 came meanwhile
            heartbeat(socket, hbd.udpPort, "marker");
            await().atMost(Duration.ofSeconds(15)).until(() -> pushover.titles().contains("marker is overdue"));
            await().atMost(Duration.ofSeconds(15)).until(() -> pushover.titles().contains(
                    "Reminder: marker is overdue"));
            assertThat(pushover.titles().stream().filter(t -> t.equals("Reminder: down1 is overdue")).count())
                    .isEqualTo(before);
            String history = api(hbd, "GET", "/api/alerts/history?host=down1", null).body();
            assertThat(history).contains("\"step\":\"acknowledged\"").contains("\"user\":\"alice\"");
        }
    }

    @Test
    void aNotificationQueuedWhileTheServiceIsDownSurvivesKillMinusNine(@TempDir Path dir) throws Exception {
        try (LocalPushover pushover = new LocalPushover(TOKEN, USER); DatagramSocket socket = new DatagramSocket()) {
            pushover.failWith = 503;
            String yaml = config(pushover, "");
            try (Hbd hbd = Hbd.start(dir, yaml)) {
                hbd.pinPorts();
                channelUp(hbd);
                heartbeat(socket, hbd.udpPort, "web9");
                await().atMost(Duration.ofSeconds(15)).until(() -> pushover.refused.get() > 0);
                assertThat(api(hbd, "GET", "/api/outbox?state=pending", null).body()).contains("web9 is overdue");
                hbd.process.kill();
            }
            pushover.failWith = 0;
            try (Hbd hbd = Hbd.startWith(dir, dir.resolve("hb.yaml"))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> pushover.titles().contains("web9 is overdue"));
                // once, and the alert itself was not told again after the restart
                assertThat(pushover.titles().stream().filter(t -> t.equals("web9 is overdue"))).hasSize(1);
                assertThat(api(hbd, "GET", "/api/alerts", null).body()).contains("web9/overdue");
            }
        }
    }

    @Test
    void twoHbdsWatchEachOther(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        java.nio.file.Files.createDirectories(a);
        java.nio.file.Files.createDirectories(b);
        try (LocalPushover pushover = new LocalPushover(TOKEN, USER);
                Hbd watcher = Hbd.start(b, config(pushover, "peer_name: hb-b\n"))) {
            channelUp(watcher);
            try (Hbd watched = Hbd.start(a, "peers: [127.0.0.1:" + watcher.udpPort + "]\npeer_name: hb-a\n"
                    + "peer_interval: 1\n")) {
                await().atMost(Duration.ofSeconds(15)).until(() -> api(watcher, "GET", "/api/hosts/hb-a", null).body()
                        .contains("\"status\":\"up\""));
            }
            // hb-a stopped: its peer tells its admins
            await().atMost(Duration.ofSeconds(15)).until(() -> pushover.titles().contains("hb-a is overdue"));
        }
    }
}
