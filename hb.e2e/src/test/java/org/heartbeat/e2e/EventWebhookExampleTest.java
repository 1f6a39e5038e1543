package org.heartbeat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;

import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * examples/event-webhook as its author uses it (docs/PLUGIN_DEVELOPMENT.md, "Extending the server"): built on its
 * own against hb.server.api ({@link ExampleProject}) with Apache HttpClient 5 embedded, its {@code .cfg} and jar
 * dropped into the plugin directory of a running hbd, every host event posted to a webhook of the test's, in order
 * and as the journal has it, until the jar is removed.
 */
class EventWebhookExampleTest {
    private static final String HOST = "e2e-webhook";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEPLOY_LIMIT = Duration.ofSeconds(10);
    private static final Duration EVENT_WAIT = Duration.ofSeconds(10);

    @BeforeAll
    static void built() throws IOException {
        Dist.requireBuilt();
        ExampleProject.requireBuilt("hb.api", "hb.server.api");
    }

    @Test
    void theWebhookExampleBuildsOnItsOwnAndPostsEveryHostEventUntilItIsRemoved(@TempDir Path dir) throws Exception {
        Path jar = ExampleProject.build(dir, "event-webhook", "hb.api", "hb.server.api");
        Attributes manifest = ExampleProject.manifest(jar).getMainAttributes();
        assertThat(manifest.getValue("Bundle-SymbolicName")).isEqualTo("com.example.webhook");
        assertThat(manifest.getValue("Import-Package")).as("HttpClient is embedded, not imported")
                .doesNotContain("org.apache.hc").contains("org.heartbeat.server.api.event;version=");
        assertThat(manifest.getValue("Private-Package")).contains("org.apache.hc.client5.http.impl.classic");

        String yaml = "interval: 1\ngrace: 1\nevents:\n  dir: " + dir.resolve("events") + "\n";
        try (Receiver webhook = new Receiver(); Hbd hbd = Hbd.start(dir, yaml);
                DatagramSocket socket = new DatagramSocket()) {
            Path plugins = dir.resolve("plugins"); // plugin_dir, as Hbd writes it
            assertThat(listener(hbd, "webhook")).isEmpty();

            drop(plugins, "com.example.webhook.cfg", "url = " + webhook.url("/hook?token=e2e") + "\ntimeout = 5\n");
            Path deployed = plugins.resolve("event-webhook.jar");
            long dropped = System.nanoTime();
            Path partial = Files.copy(jar, plugins.resolve(".event-webhook.jar.tmp")); // not *.jar: not picked up
            Files.move(partial, deployed, StandardCopyOption.ATOMIC_MOVE);
            await("listener and status section webhook in /api/status").atMost(DEPLOY_LIMIT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> listener(hbd, "webhook").isPresent() && hbd.get("/api/status").body().has("webhook"));
            Duration active = Duration.ofNanos(System.nanoTime() - dropped);
            System.out.println("event-webhook: listening " + active.toMillis() + " ms after the jar was dropped");

            Instant before = Instant.now();
            beat(socket, hbd, HOST);
            JsonNode created = webhook.nextEvent(EVENT_WAIT);
            JsonNode overdue = webhook.nextEvent(EVENT_WAIT); // no heartbeat for interval + grace
            beat(socket, hbd, HOST);
            JsonNode recovered = webhook.nextEvent(EVENT_WAIT);
            JsonNode overdueAgain = webhook.nextEvent(EVENT_WAIT);
            Instant after = Instant.now();

            List<JsonNode> posted = List.of(created, overdue, recovered, overdueAgain);
            assertThat(posted).extracting(e -> e.path("type").asText())
                    .containsExactly("new", "overdue", "recovered", "overdue");
            assertThat(posted).extracting(e -> e.path("host").asText()).containsOnly(HOST);
            assertThat(posted).extracting(e -> e.path("id").asLong()).isSorted().doesNotHaveDuplicates();
            assertThat(posted).extracting(e -> Instant.parse(e.path("time").asText()))
                    .allSatisfy(t -> assertThat(t).isBetween(before.minusMillis(1), after)).isSorted();
            assertThat(posted).extracting(e -> e.path("status_before").isNull() ? null : e.path("status_before").asText(),
                    e -> e.path("status_after").asText())
                    .containsExactly(tuple(null, "up"), tuple("up", "overdue"), tuple("overdue", "up"),
                            tuple("up", "overdue"));
            assertThat(webhook.requests).allSatisfy(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/hook?token=e2e");
                assertThat(r.contentType()).startsWith("application/json");
            });

            // what was posted is what the journal holds, field by field (the journal writes on its own thread)
            await("the posted events in the journal").atMost(EVENT_WAIT).until(() -> hbd.get("/api/events?host="
                    + HOST).body().size() >= posted.size());
            JsonNode journal = hbd.get("/api/events?host=" + HOST).body();
            for (JsonNode p : posted) {
                assertThat(p.fieldNames()).toIterable()
                        .containsExactly("id", "type", "host", "time", "status_before", "status_after", "message");
                JsonNode kept = find(journal, p.path("id").asLong());
                p.fieldNames().forEachRemaining(f -> assertThat(p.get(f)).as("%s of event %s", f, p.path("id"))
                        .isEqualTo(kept.get(f)));
            }

            await("the webhook's counts in /api/status").atMost(EVENT_WAIT).untilAsserted(() -> {
                JsonNode status = hbd.get("/api/status").body();
                assertThat(status.path("webhook").path("posted").asLong()).isEqualTo(4);
                assertThat(status.path("webhook").path("failed").asLong()).isZero();
                assertThat(status.path("webhook").path("target").asText())
                        .isEqualTo("http://127.0.0.1:" + webhook.port()).doesNotContain("e2e");
                JsonNode listener = listener(hbd, "webhook").orElseThrow();
                assertThat(listener.path("kind").asText()).isEqualTo("events");
                assertThat(listener.path("delivered").asLong()).isEqualTo(4);
                assertThat(listener.path("failures").asLong()).isZero();
            });

            long removing = System.nanoTime();
            Files.delete(deployed);
            await("the webhook gone from /api/status").atMost(DEPLOY_LIMIT).pollInterval(Duration.ofMillis(50))
                    .until(() -> listener(hbd, "webhook").isEmpty() && !hbd.get("/api/status").body().has("webhook"));
            System.out.println("event-webhook: gone " + Duration.ofNanos(System.nanoTime() - removing).toMillis()
                    + " ms after the jar was deleted");

            // an event after the removal: hbd's own log listener handles it, nothing posts it
            long logged = listener(hbd, "log").orElseThrow().path("delivered").asLong();
            beat(socket, hbd, HOST + "-after");
            await("the next event handled by hbd's log listener").atMost(EVENT_WAIT).until(() -> {
                JsonNode log = listener(hbd, "log").orElseThrow();
                return log.path("delivered").asLong() > logged && log.path("behind").asLong() == 0;
            });
            await("the event in the journal").atMost(EVENT_WAIT).until(() -> hbd.get("/api/events?host=" + HOST
                    + "-after").body().size() > 0);
            assertThat(hbd.get("/api/events?host=" + HOST + "-after").body()).hasSize(1);
            assertThat(webhook.requests).as("posts after the removal").hasSize(4);
        }
    }

    private static void beat(DatagramSocket socket, Hbd hbd, String host) throws IOException {
        long now = System.currentTimeMillis();
        byte[] d = Datagrams.encode(Heartbeat.of(host, now * 1000, now, 1000), null);
        socket.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), hbd.udpPort));
    }

    /** Writes a file into the plugin directory under a name FileInstall ignores, then renames it. */
    private static void drop(Path plugins, String name, String content) throws IOException {
        Path partial = plugins.resolve("." + name + ".tmp");
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        Files.move(partial, plugins.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static Optional<JsonNode> listener(Hbd hbd, String name) throws IOException, InterruptedException {
        for (JsonNode l : hbd.get("/api/status").body().path("listeners")) {
            if (l.path("name").asText().equals(name) && l.path("kind").asText().equals("events")) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    private static JsonNode find(JsonNode events, long id) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode e : events) {
            if (e.path("id").asLong() == id) {
                return e;
            }
            ids.add(e.path("id").asLong());
        }
        throw new AssertionError("event " + id + " posted, but not in the journal: " + ids);
    }

    /** The test's webhook: a JDK HttpServer on the loopback that keeps every request and answers 204. */
    private static final class Receiver implements AutoCloseable {
        record Request(String method, String path, String contentType, String body) {
        }

        final List<Request> requests = new CopyOnWriteArrayList<>();
        private final BlockingQueue<Request> next = new LinkedBlockingQueue<>();
        private final HttpServer server;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                Request r = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                requests.add(r);
                next.add(r);
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        String url(String path) {
            return "http://127.0.0.1:" + port() + path;
        }

        /** The body of the next post, as JSON; fails if none comes within {@code timeout}. */
        JsonNode nextEvent(Duration timeout) throws InterruptedException, IOException {
            Request r = next.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("no post within " + timeout + "; received so far: " + requests);
            }
            return JSON.readTree(r.body());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
