package org.heartbeat.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class HostViewTest {
    private static final Instant SEEN = Instant.parse("2026-11-26T08:00:12Z");

    @Test
    void aNewBuilderHasTheServersDefaults() {
        HostView h = HostView.builder("web1").build();
        assertThat(h.status()).isEqualTo(HostStatus.UNKNOWN);
        assertThat(h.interval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(h.grace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(h.lastSeen()).isEmpty();
        assertThat(h.deadline()).isEmpty();
        assertThat(h.rtt()).isEmpty();
        assertThat(h.owner()).isEmpty();
        assertThat(h.tags()).isEmpty();
    }

    @Test
    void theDeadlineIsLastSeenPlusIntervalPlusGrace() {
        HostView h = HostView.builder("web1").lastSeen(SEEN).interval(Duration.ofSeconds(10))
                .grace(Duration.ofMillis(2500)).build();
        assertThat(h.deadline()).contains(Instant.parse("2026-11-26T08:00:24.500Z"));
    }

    @Test
    void theLastRttIsTheNewestOfTheHistory() {
        HostView h = HostView.builder("web1").rttHistory(List.of(Duration.ofMillis(3), Duration.ofMillis(1))).build();
        assertThat(h.rtt()).contains(Duration.ofMillis(1));
    }

    @Test
    void listsAreCopiedSoTheViewNeverChanges() {
        List<String> tags = new ArrayList<>(List.of("db"));
        HostView h = HostView.builder("db1").tags(tags).build();
        tags.add("prod");
        assertThat(h.tags()).containsExactly("db");
        assertThatThrownBy(() -> h.tags().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toBuilderKeepsEveryValueAndEqualityComparesThem() {
        HostView h = HostView.builder("web1").status(HostStatus.OVERDUE).configured(true).firstSeen(SEEN)
                .lastSeen(SEEN).announcedInterval(Duration.ofSeconds(10)).overdueSince(SEEN.plusSeconds(22))
                .rttHistory(List.of(Duration.ofMillis(2))).address(new InetSocketAddress("192.0.2.7", 4000))
                .bootTime(SEEN.minusSeconds(60)).lastBoot(SEEN).heartbeats(7).authenticated(true)
                .conflict("two senders").owner("alice").tags(List.of("web")).dependsOn(List.of("router1"))
                .pendingCommands(List.of(new PendingCommand(1, HostCommands.PING, ""))).build();
        assertThat(h.toBuilder().build()).isEqualTo(h).hasSameHashCodeAs(h);
        assertThat(h.toBuilder().heartbeats(8).build()).isNotEqualTo(h);
        assertThat(h.toBuilder().owner(null).build()).isNotEqualTo(h);
        assertThat(h.toBuilder().pendingCommands(List.of()).build()).isNotEqualTo(h);
    }

    @Test
    void aHostNeedsANameAndAStatus() {
        assertThatThrownBy(() -> HostView.builder("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostView.builder("a").status(null).build()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void statusWordsRoundTrip() {
        for (HostStatus s : HostStatus.values()) {
            assertThat(HostStatus.ofWord(s.word())).isEqualTo(s);
        }
        assertThat(HostStatus.ofWord("OVERDUE")).isEqualTo(HostStatus.OVERDUE);
        assertThatThrownBy(() -> HostStatus.ofWord("down")).hasMessageContaining("\"down\"");
    }

    @Test
    void pendingCommandsAreValues() {
        assertThat(new PendingCommand(2, "set-interval", "30")).isEqualTo(new PendingCommand(2, "set-interval", "30"))
                .hasToString("#2 set-interval 30");
        assertThat(new PendingCommand(1, "ping", null).argument()).isEmpty();
        assertThatThrownBy(() -> new PendingCommand(0, "ping", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aListenerIsStalledOnlyWhileOneCallLastsLongerThanTheThreshold() {
        Instant now = Instant.parse("2026-11-26T08:00:00Z");
        ListenerStatus idle = new ListenerStatus("log", ListenerStatus.Kind.EVENTS, 5, 0, 0, 0, null);
        ListenerStatus busy = new ListenerStatus("alerts", ListenerStatus.Kind.EVENTS, 5, 3, 0, 0,
                now.minusSeconds(11));
        assertThat(idle.stalled(now, Duration.ofSeconds(10))).isFalse();
        assertThat(busy.stalled(now, Duration.ofSeconds(10))).isTrue();
        assertThat(busy.stalled(now, Duration.ofSeconds(12))).isFalse();
        assertThat(busy.busySince()).contains(now.minusSeconds(11));
    }
}
