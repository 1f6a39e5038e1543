package com.example.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.event.HostEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

// The component is a plain class: tests build it with new and post to a JDK HttpServer on the loopback.
class EventWebhookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final RecordingLogger log = new RecordingLogger();
    private final Webhook hook;
    private EventWebhook webhook;

    EventWebhookTest() throws IOException {
        hook = new Webhook();
    }

    @AfterEach
    void close() {
        if (webhook != null) {
            webhook.deactivate();
        }
        hook.close();
    }

    private EventWebhook webhook(String url, String types, int timeout) {
        webhook = new EventWebhook(Settings.of(url, types == null ? null : new String[] {types}, timeout), log.logger);
        return webhook;
    }

    private static HostEvent newHost(long id) {
        return HostEvent.builder(HostEvent.Type.NEW, "web1").id(id).time(Instant.parse("2026-11-26T08:00:12.345Z"))
                .statusAfter(HostStatus.UP).address(new InetSocketAddress("192.0.2.7", 40000))
                .interval(Duration.ofSeconds(10)).grace(Duration.ofSeconds(2)).message("web1 is new").build();
    }

    private static HostEvent overdue(long id) {
        return HostEvent.builder(HostEvent.Type.OVERDUE, "web1").id(id).time(Instant.parse("2026-11-26T08:00:24Z"))
                .statusBefore(HostStatus.UP).statusAfter(HostStatus.OVERDUE)
                .lastSeen(Instant.parse("2026-11-26T08:00:12.345Z")).deadline(Instant.parse("2026-11-26T08:00:24Z"))
                .message("web1 is overdue").build();
    }

    @Test
    void postsEachEventAsJsonInOrder() throws Exception {
        EventWebhook w = webhook(hook.url("/hooks/heartbeat?token=s3cret").toString(), null, 5);

        w.hostEvent(newHost(41));
        w.hostEvent(overdue(42));

        Webhook.Request first = hook.next(WAIT);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/hooks/heartbeat?token=s3cret");
        assertThat(first.contentType()).startsWith("application/json");
        JsonNode n = JSON.readTree(first.body());
        assertThat(n.fieldNames()).toIterable()
                .containsExactly("id", "type", "host", "time", "status_before", "status_after", "message");
        assertThat(n.path("id").asLong()).isEqualTo(41);
        assertThat(n.path("type").asText()).isEqualTo("new");
        assertThat(n.path("host").asText()).isEqualTo("web1");
        assertThat(n.path("time").asText()).isEqualTo("2026-11-26T08:00:12.345Z");
        assertThat(n.path("status_before").isNull()).as("status_before of a new host").isTrue();
        assertThat(n.path("status_after").asText()).isEqualTo("up");
        assertThat(n.path("message").asText()).isEqualTo("web1 is new");

        JsonNode o = JSON.readTree(hook.next(WAIT).body());
        assertThat(o.path("id").asLong()).isEqualTo(42);
        assertThat(o.path("type").asText()).isEqualTo("overdue");
        assertThat(o.path("time").asText()).isEqualTo("2026-11-26T08:00:24.000Z");
        assertThat(o.path("status_before").asText()).isEqualTo("up");
        assertThat(o.path("status_after").asText()).isEqualTo("overdue");

        assertThat(w.status()).containsEntry("posted", 2L).containsEntry("failed", 0L)
                .containsEntry("types", List.of()).containsEntry("last_failure", null);
    }

    @Test
    void postsOnlyTheConfiguredTypes() throws Exception {
        EventWebhook w = webhook(hook.url("/").toString(), "overdue", 5);

        w.hostEvent(newHost(1));
        w.hostEvent(overdue(2));

        assertThat(JSON.readTree(hook.next(WAIT).body()).path("id").asLong()).isEqualTo(2);
        assertThat(hook.received()).as("anything after the overdue").isFalse();
        assertThat(w.status()).containsEntry("posted", 1L).containsEntry("types", List.of("overdue"));
    }

    @Test
    void anAnswerOtherThan2xxCountsAsFailedAndIsLoggedOnceUntilThePostsSucceedAgain() throws Exception {
        EventWebhook w = webhook(hook.url("/hook?token=s3cret").toString(), null, 5);
        hook.answer(500);

        w.hostEvent(newHost(1));
        w.hostEvent(overdue(2));

        assertThat(w.status()).containsEntry("posted", 0L).containsEntry("failed", 2L);
        @SuppressWarnings("unchecked")
        Map<String, Object> failure = (Map<String, Object>) w.status().get("last_failure");
        assertThat(failure).containsEntry("error", "HTTP 500").containsKey("time");
        assertThat(log.at("WARN")).singleElement().asString()
                .contains("event 1 (NEW web1) not posted to " + hook.url("").toString().replaceAll("/$", ""))
                .contains("HTTP 500");

        hook.answer(200);
        w.hostEvent(overdue(3));

        assertThat(w.status()).containsEntry("posted", 1L).containsEntry("failed", 2L);
        assertThat(log.at("INFO")).last().asString().contains("answers again (event 3); 2 events failed so far");
        assertThat(log.lines).noneMatch(l -> l.contains("s3cret"));
        assertThat(w.status().toString()).doesNotContain("s3cret");
    }

    @Test
    void aRefusedConnectionCountsAsFailedWithoutThrowing() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        EventWebhook w = webhook("http://127.0.0.1:" + closedPort + "/hook", null, 5);

        w.hostEvent(newHost(1));

        assertThat(w.status()).containsEntry("failed", 1L).containsEntry("target", "http://127.0.0.1:" + closedPort);
        assertThat(log.at("WARN")).singleElement().asString().containsIgnoringCase("refused");
    }

    @Test
    void aWebhookThatDoesNotAnswerIsGivenUpAfterTheTimeout() throws Exception {
        EventWebhook w = webhook(hook.url("/").toString(), null, 1);
        hook.hold();

        long start = System.nanoTime();
        w.hostEvent(newHost(1));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
        assertThat(w.status()).containsEntry("failed", 1L);
        assertThat(log.at("WARN")).singleElement().asString().containsIgnoringCase("timed out");
    }

    @Test
    void anUnbindBreaksOffAPostInProgressWithoutCountingAFailure() throws Exception {
        EventWebhook w = webhook(hook.url("/").toString(), null, 30);
        hook.hold();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread delivery = new Thread(() -> {
            try {
                w.hostEvent(newHost(1));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        delivery.start();
        assertThat(hook.next(WAIT)).as("the post, waiting for an answer").isNotNull();

        long start = System.nanoTime();
        delivery.interrupt(); // what hbd does on unbind; DS deactivates the component
        w.deactivate();
        delivery.join(WAIT.toMillis());

        assertThat(delivery.isAlive()).as("still posting after the unbind").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(thrown.get()).isNull();
        assertThat(w.status()).containsEntry("posted", 0L).containsEntry("failed", 0L);
    }

    @Test
    void anInterruptedThreadPostsNothingAndKeepsItsInterrupt() throws Exception {
        EventWebhook w = webhook(hook.url("/").toString(), null, 5);

        Thread.currentThread().interrupt();
        w.hostEvent(newHost(1));

        assertThat(Thread.interrupted()).as("interrupt kept").isTrue();
        assertThat(hook.received()).isFalse();
        assertThat(w.status()).containsEntry("posted", 0L).containsEntry("failed", 0L);
    }
}
