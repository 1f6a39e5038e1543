package org.heartbeat.server.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.PendingCommand;
import org.heartbeat.server.api.event.HostEvent;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ViewsTest {
    private static final Instant T = Instant.parse("2026-11-26T01:17:58.569Z");

    @Test
    void aHostIsWrittenWithTheDocumentedFieldsInTheirOrder() {
        HostView h = HostView.builder("web1").status(HostStatus.UP).lastSeen(T).firstSeen(T.minusSeconds(86_400))
                .interval(Duration.ofSeconds(10)).grace(Duration.ofMillis(2500))
                .rttHistory(List.of(Duration.ofNanos(1_301_000), Duration.ofNanos(1_234_000)))
                .address(new InetSocketAddress("2001:db8:0:0:0:0:0:7", 40000)).announcedInterval(Duration.ofSeconds(10))
                .heartbeats(28_764).owner("alice").tags(List.of("web")).dependsOn(List.of("router1"))
                .pendingCommands(List.of(new PendingCommand(1, "ping", ""))).build();

        JsonNode json = Api.JSON.valueToTree(Views.Host.of(h, java.util.Map.of("interval", 10L)));

        assertThat(json.fieldNames()).toIterable().containsExactly("name", "status", "last_seen", "interval", "grace",
                "rtt_ms", "address", "first_seen", "overdue_since", "boot_time", "last_boot", "announced_interval",
                "configured", "authenticated", "heartbeats", "rtt_history_ms", "conflict", "pending_commands", "owner",
                "tags", "depends_on", "overrides");
        assertThat(json.path("overrides").path("interval").asInt()).isEqualTo(10);
        assertThat(json.path("last_seen").asText()).isEqualTo("2026-11-26T01:17:58.569Z");
        assertThat(json.path("interval").isIntegralNumber()).isTrue();
        assertThat(json.path("interval").asInt()).isEqualTo(10);
        assertThat(json.path("grace").asDouble()).isEqualTo(2.5);
        assertThat(json.path("rtt_ms").asDouble()).isEqualTo(1.234);
        assertThat(json.path("address").asText()).isEqualTo("2001:db8::7");
        assertThat(json.path("overdue_since").isNull()).isTrue();
        assertThat(json.path("pending_commands").get(0).path("name").asText()).isEqualTo("ping");
        assertThat(json.path("depends_on").get(0).asText()).isEqualTo("router1");
    }

    @Test
    void anEventIsWrittenWithItsIdTypeAndFacts() {
        HostEvent e = HostEvent.builder(HostEvent.Type.NAME_CONFLICT, "web1").id(42).time(T)
                .statusBefore(HostStatus.UP).statusAfter(HostStatus.UP)
                .address(new InetSocketAddress("192.0.2.9", 5000)).message("two senders").build();

        JsonNode json = Api.JSON.valueToTree(Views.Event.of(e));

        assertThat(json.path("id").asLong()).isEqualTo(42);
        assertThat(json.path("type").asText()).isEqualTo("name_conflict");
        assertThat(json.path("status_before").asText()).isEqualTo("up");
        assertThat(json.path("address").asText()).isEqualTo("192.0.2.9");
        assertThat(json.path("deadline").isNull()).isTrue();
        assertThat(Views.type("name_conflict")).isEqualTo(HostEvent.Type.NAME_CONFLICT);
    }
}
