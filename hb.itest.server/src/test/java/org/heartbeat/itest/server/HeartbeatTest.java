package org.heartbeat.itest.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.heartbeat.protocol.Ack;
import org.heartbeat.protocol.Datagrams;
import org.heartbeat.protocol.Heartbeat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

import com.fasterxml.jackson.databind.JsonNode;

/** Heartbeats over real UDP into the running hbd, watched through its API. */
class HeartbeatTest {
    @InjectBundleContext
    BundleContext context;

    private HbdUnderTest hbd;
    private long seq = System.currentTimeMillis() * 1000;

    @BeforeEach
    void connect() throws Exception {
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            hbd = new HbdUnderTest(context);
            return true;
        });
    }

    @AfterEach
    void close() {
        hbd.close();
    }

    private static String uniqueHost() {
        return "itest-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Heartbeat heartbeat(String host, long intervalMillis, long rttMicros) {
        return new Heartbeat(host, seq++, System.currentTimeMillis(), intervalMillis, rttMicros, 0, false, 0);
    }

    @Test
    void aHeartbeatIsAcknowledgedWithItsSequenceNumberAndNoMoreBytes() throws Exception {
        Heartbeat hb = heartbeat(uniqueHost(), 1000, -1);
        byte[] datagram = Datagrams.encode(hb, null);
        hbd.send(datagram);
        byte[] answer = hbd.receive(Duration.ofSeconds(5)).orElseThrow();
        Ack ack = (Ack) Datagrams.decode(ByteBuffer.wrap(answer));
        assertThat(ack.seq()).isEqualTo(hb.seq());
        assertThat(ack.commands()).isEmpty();
        assertThat(answer.length).isLessThanOrEqualTo(datagram.length);
        assertThat(Datagrams.signed(ByteBuffer.wrap(answer))).isFalse();
    }

    @Test
    void aReportingHostIsUpWithItsRttAndAddress() throws Exception {
        String host = uniqueHost();
        hbd.exchange(Datagrams.encode(heartbeat(host, 1000, 1500), null), Duration.ofSeconds(5));
        JsonNode h = hbd.host(host).orElseThrow();
        assertThat(h.path("status").asText()).isEqualTo("up");
        assertThat(h.path("rtt_ms").asDouble()).isEqualTo(1.5);
        assertThat(h.path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(h.path("interval").asInt()).isEqualTo(1);
        assertThat(h.path("configured").asBoolean()).isFalse();
        assertThat(hbd.get("/api/hosts").body().findValuesAsText("name")).contains(host);
    }

    @Test
    void aSilentHostIsOverdueAfterIntervalPlusGraceAndRecoversWithItsNextHeartbeat() throws Exception {
        String host = uniqueHost();
        hbd.exchange(Datagrams.encode(heartbeat(host, 1000, -1), null), Duration.ofSeconds(5));
        JsonNode seen = hbd.host(host).orElseThrow();
        Instant lastSeen = Instant.parse(seen.path("last_seen").asText());

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> hbd.host(host).orElseThrow().path("status").asText().equals("overdue"));
        JsonNode overdue = hbd.host(host).orElseThrow();
        Instant since = Instant.parse(overdue.path("overdue_since").asText());
        // interval 1 s + grace 1 s
        assertThat(Duration.between(lastSeen, since).toMillis()).isBetween(1990L, 2050L);

        hbd.exchange(Datagrams.encode(heartbeat(host, 1000, -1), null), Duration.ofSeconds(5));
        JsonNode back = hbd.host(host).orElseThrow();
        assertThat(back.path("status").asText()).isEqualTo("up");
        assertThat(back.path("overdue_since").isNull()).isTrue();
    }

    @Test
    void aConfiguredHostIsTrackedBeforeItReportsAndUsesItsConfiguredInterval() throws Exception {
        JsonNode h = hbd.host("configured-host").orElseThrow();
        assertThat(h.path("configured").asBoolean()).isTrue();
        assertThat(h.path("interval").asInt()).isEqualTo(3);
        hbd.exchange(Datagrams.encode(heartbeat("configured-host", 1000, -1), null), Duration.ofSeconds(5));
        JsonNode after = hbd.host("configured-host").orElseThrow();
        assertThat(after.path("status").asText()).isEqualTo("up");
        assertThat(after.path("interval").asInt()).as("configured interval beats the announced one").isEqualTo(3);
        assertThat(after.path("announced_interval").asInt()).isEqualTo(1);
    }

    @Test
    void aBootMessageRecordsTheBootTime() throws Exception {
        String host = uniqueHost();
        long booted = System.currentTimeMillis() - 3_600_000;
        Heartbeat boot = new Heartbeat(host, seq++, System.currentTimeMillis(), 1000, -1, 0, true, booted);
        hbd.exchange(Datagrams.encode(boot, null), Duration.ofSeconds(5));
        JsonNode h = hbd.host(host).orElseThrow();
        assertThat(Instant.parse(h.path("boot_time").asText()).toEpochMilli()).isEqualTo(booted);
        assertThat(h.path("last_boot").isNull()).isFalse();
    }

    @Test
    void theStateFileRecordsTheHost() throws Exception {
        String host = uniqueHost();
        hbd.exchange(Datagrams.encode(heartbeat(host, 1000, -1), null), Duration.ofSeconds(5));
        java.nio.file.Path pick = java.nio.file.Path.of("target", "itest", "hb.pick");
        await().atMost(Duration.ofSeconds(5)).until(() -> java.nio.file.Files.exists(pick)
                && java.nio.file.Files.readString(pick).contains("\"name\":\"" + host + "\""));
        assertThat(java.nio.file.Files.readString(pick)).startsWith("{\"format\":\"heartbeat-state\",\"version\":1");
    }
}
