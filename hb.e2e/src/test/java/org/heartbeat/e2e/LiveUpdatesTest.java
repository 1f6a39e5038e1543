package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * docs/HTTP_API.md, "Live updates (WebSocket)", against the real bin/hbd: a snapshot on connect, on ws_port and at
 * /ws on hbd_port; a heartbeat of a new host reaches the open connection within 1 s (BAR.md asks 200 ms; the delay
 * is printed); a cross-origin handshake is refused; with users, a handshake without credentials is refused and one
 * with a token accepted; after a restart of hbd a new connection is accepted and shows the restored host.
 */
class LiveUpdatesTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("hbt_[A-Za-z0-9_-]{43}");

    @BeforeAll
    static void built() {
        Dist.requireBuilt();
    }

    /** Whole text messages with the time each arrived. */
    static final class Client implements WebSocket.Listener {
        record Message(long nanos, JsonNode json) {
        }

        final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.nanoTime();
                try {
                    messages.add(new Message(now, JSON.readTree(partial.toString())));
                } catch (Exception e) {
                    throw new AssertionError("not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        /** The next message that matches, or a failure after {@code timeout}. */
        Message await(Predicate<JsonNode> matching, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            for (long left; (left = end - System.nanoTime()) > 0;) {
                Message m = messages.poll(left, TimeUnit.NANOSECONDS);
                if (m != null && matching.test(m.json())) {
                    return m;
                }
            }
            throw new AssertionError("no matching message within " + timeout);
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
    }

    static Client connect(String url, Map<String, String> headers) throws Exception {
        Client client = new Client();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(b::header);
        client.socket = b.buildAsync(URI.create(url), client).get(10, TimeUnit.SECONDS);
        return client;
    }

    /** The status of a refused handshake. */
    static int refused(String url, Map<String, String> headers) {
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(b::header);
        try {
            WebSocket ws = b.buildAsync(URI.create(url), new Client()).get(10, TimeUnit.SECONDS);
            ws.abort();
            throw new AssertionError("the handshake to " + url + " was accepted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw new AssertionError("the handshake to " + url + " failed otherwise", e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Predicate<JsonNode> snapshot() {
        return m -> m.path("type").asText().equals("snapshot");
    }

    private static Predicate<JsonNode> hostRow(String name) {
        return m -> {
            for (JsonNode e : m.path("events")) {
                if (e.path("type").asText().equals("host") && e.path("host").path("name").asText().equals(name)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean hasHost(JsonNode snapshot, String name) {
        for (JsonNode h : snapshot.path("hosts")) {
            if (h.path("name").asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static void heartbeat(DatagramSocket socket, int port, String host) throws Exception {
        long now = System.currentTimeMillis();
        byte[] hb = Datagrams.encode(Heartbeat.of(host, now * 1000, now, 60_000), null);
        socket.send(new DatagramPacket(hb, hb.length, InetAddress.getLoopbackAddress(), port));
    }

    @Test
    void snapshotThenHeartbeatsLiveOnBothPortsAndAfterARestart(@TempDir Path dir) throws Exception {
        Path config = Hbd.writeConfig(dir, "");
        Hbd first = Hbd.startWith(dir, config);
        first.pinPorts();
        String ws = "ws://127.0.0.1:" + first.wsPort + "/";
        String origin = "http://127.0.0.1:" + first.wsPort;
        try (DatagramSocket udp = new DatagramSocket()) {
            Client client = connect(ws, Map.of("Origin", origin));
            JsonNode snap = client.await(snapshot(), Duration.ofSeconds(5)).json();
            assertThat(snap.path("hosts").isArray()).isTrue();
            assertThat(hasHost(snap, "live1")).isFalse();

            long sent = System.nanoTime();
            heartbeat(udp, first.udpPort, "live1");
            Client.Message update = client.await(hostRow("live1"), Duration.ofSeconds(1));
            long delayMillis = TimeUnit.NANOSECONDS.toMillis(update.nanos() - sent);
            System.out.println("live update: heartbeat of a new host to the open WebSocket in " + delayMillis
                    + " ms (BAR.md: 200 ms)");
            assertThat(delayMillis).isLessThan(1000);

            // the same endpoint at /ws on hbd_port, for a reverse proxy with one upstream
            Client main = connect("ws://127.0.0.1:" + first.httpPort + "/ws",
                    Map.of("Origin", "http://127.0.0.1:" + first.httpPort));
            assertThat(hasHost(main.await(snapshot(), Duration.ofSeconds(5)).json(), "live1")).isTrue();
            // heartbeats of a known host, a few, to both connections: the delays, sorted
            List<Long> delays = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                client.messages.clear();
                main.messages.clear();
                sent = System.nanoTime();
                heartbeat(udp, first.udpPort, "live1");
                delays.add(TimeUnit.NANOSECONDS.toMillis(client.await(hostRow("live1"), Duration.ofSeconds(1)).nanos()
                        - sent));
                delays.add(TimeUnit.NANOSECONDS.toMillis(main.await(hostRow("live1"), Duration.ofSeconds(1)).nanos()
                        - sent));
            }
            java.util.Collections.sort(delays);
            System.out.println("live update: heartbeat to the open WebSockets (ws_port and /ws on hbd_port), ms: "
                    + delays + ", median " + delays.get(delays.size() / 2));
            assertThat(delays.get(delays.size() / 2)).isLessThan(1000);
            client.close();
            main.close();

            assertThat(refused(ws, Map.of("Origin", "http://evil.example"))).isEqualTo(403);
            assertThat(refused(ws, Map.of("Origin", "http://127.0.0.1:" + (first.httpPort == 1 ? 2 : 1))))
                    .as("another server's origin on the same host").isEqualTo(403);
            Client pages = connect(ws, Map.of("Origin", "http://127.0.0.1:" + first.httpPort));
            assertThat(hasHost(pages.await(snapshot(), Duration.ofSeconds(5)).json(), "live1"))
                    .as("a page of hbd_port connecting to ws_port").isTrue();
            pages.close();
            assertThat(refused("ws://127.0.0.1:" + first.httpPort + "/ws", Map.of("Origin", "http://evil.example")))
                    .isEqualTo(403);

            assertThat(first.process.stop()).as("hbd exit status after SIGTERM").isIn(0, 143);
            try (Hbd second = Hbd.startWith(dir, config)) {
                assertThat(second.wsPort).isEqualTo(first.wsPort);
                Client again = connect(ws, Map.of("Origin", origin));
                assertThat(hasHost(again.await(snapshot(), Duration.ofSeconds(5)).json(), "live1"))
                        .as("the restored host").isTrue();
                heartbeat(udp, second.udpPort, "live1");
                again.await(hostRow("live1"), Duration.ofSeconds(1));
                again.close();
            }
        } finally {
            first.close();
        }
    }

    @Test
    void withUsersAHandshakeNeedsCredentials(@TempDir Path dir) throws Exception {
        String hash = UsersTest.passwordHash(dir, "alice", "s3cret horse");
        try (Hbd hbd = Hbd.start(dir, "users:\n  alice:\n    password: " + hash + "\n    admin: true\n")) {
            hbd.pinPorts();
            String ws = "ws://127.0.0.1:" + hbd.wsPort + "/";
            String origin = "http://127.0.0.1:" + hbd.wsPort;
            assertThat(refused(ws, Map.of("Origin", origin))).isEqualTo(401);
            assertThat(refused(ws, Map.of("Origin", origin, "Authorization", "Bearer hbt_wrong"))).isEqualTo(401);
            assertThat(refused("ws://127.0.0.1:" + hbd.httpPort + "/ws",
                    Map.of("Origin", "http://127.0.0.1:" + hbd.httpPort))).isEqualTo(401);

            RunningProcess create = Clients.hbd(dir, "token", "create", "-c", hbd.config.toString(), "alice",
                    "--name", "live");
            assertThat(create.awaitExit(Duration.ofSeconds(30))).as(create.output()).isZero();
            Matcher m = TOKEN.matcher(create.output());
            assertThat(m.find()).as(create.output()).isTrue();
            Client client = connect(ws, Map.of("Origin", origin, "Authorization", "Bearer " + m.group()));
            assertThat(client.await(snapshot(), Duration.ofSeconds(5)).json().path("hosts").isArray()).isTrue();
            client.close();
            Client main = connect("ws://127.0.0.1:" + hbd.httpPort + "/ws",
                    Map.of("Origin", "http://127.0.0.1:" + hbd.httpPort, "Authorization", "Bearer " + m.group()));
            main.await(snapshot(), Duration.ofSeconds(5));
            main.close();

            // a browser logged in on hbd_port's pages: its session cookie opens ws_port as well
            String pagesOrigin = "http://127.0.0.1:" + hbd.httpPort;
            java.net.http.HttpResponse<String> login = HTTP.send(java.net.http.HttpRequest.newBuilder(
                    URI.create(pagesOrigin + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Origin", pagesOrigin).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "user=alice&password=s3cret+horse&next=%2Flive")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
            String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            Client browser = connect(ws, Map.of("Origin", pagesOrigin, "Cookie", "theme=dark; " + cookie));
            assertThat(browser.await(snapshot(), Duration.ofSeconds(5)).json().path("hosts").isArray()).isTrue();
            browser.close();
            assertThat(refused(ws, Map.of("Origin", pagesOrigin, "Cookie", "hb_session=forged"))).isEqualTo(401);
            assertThat(refused(ws, Map.of("Origin", "http://evil.example", "Cookie", cookie)))
                    .as("the session's cookie from another site's page").isEqualTo(403);
            // logged out, the cookie opens nothing
            String csrf = JSON.readTree(HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(pagesOrigin
                    + "/api/whoami")).header("Cookie", cookie).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body()).path("csrf").asText();
            assertThat(HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(pagesOrigin + "/logout"))
                    .header("Cookie", cookie).header("Origin", pagesOrigin)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("csrf=" + csrf)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(303);
            assertThat(refused(ws, Map.of("Origin", pagesOrigin, "Cookie", cookie))).isEqualTo(401);
            assertThat(hbd.log()).doesNotContain(m.group(), "s3cret");
        }
    }

    @Test
    void theEndpointAnswersOtherRequestsWith426(@TempDir Path dir) throws Exception {
        try (Hbd hbd = Hbd.start(dir, "")) {
            java.net.http.HttpResponse<String> r = HTTP.send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + hbd.wsPort + "/anything")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(426);
            assertThat(r.body()).startsWith("{\"status\":426,\"error\":\"this is hbd's live updates endpoint");
            assertThat(List.of(r.headers().firstValue("Upgrade").orElse(""))).containsExactly("websocket");
        }
    }
}
