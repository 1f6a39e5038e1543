package org.heartbeat.server.api.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.heartbeat.server.api.HostStatus;
import org.junit.jupiter.api.Test;

class HostEventTest {
    private static final Instant T = Instant.parse("2026-11-26T08:00:24Z");

    private static HostEvent overdue(long id, String host, Instant time) {
        return HostEvent.builder(HostEvent.Type.OVERDUE, host).id(id).time(time).statusBefore(HostStatus.UP)
                .statusAfter(HostStatus.OVERDUE).deadline(time).interval(Duration.ofSeconds(10))
                .grace(Duration.ofSeconds(2)).message(host + " is overdue").build();
    }

    @Test
    void anEventCarriesItsFacts() {
        HostEvent e = overdue(7, "web1", T);
        assertThat(e.statusBefore()).contains(HostStatus.UP);
        assertThat(e.statusAfter()).contains(HostStatus.OVERDUE);
        assertThat(e.deadline()).contains(T);
        assertThat(e.lastSeen()).isEmpty();
        assertThat(e.toBuilder().build()).isEqualTo(e);
        assertThat(e.toBuilder().id(8).build()).isNotEqualTo(e);
    }

    @Test
    void anEventNeedsAnIdATimeAndAHost() {
        assertThatThrownBy(() -> HostEvent.builder(HostEvent.Type.NEW, "a").time(T).build())
                .hasMessageContaining("id");
        assertThatThrownBy(() -> HostEvent.builder(HostEvent.Type.NEW, "a").id(1).build())
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> HostEvent.builder(HostEvent.Type.NEW, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aQueryMatchesOnEveryConditionItHas() {
        HostEvent e = overdue(10, "web1", T);
        assertThat(EventQuery.builder().build().matches(e)).isTrue();
        assertThat(EventQuery.builder().host("web1").build().matches(e)).isTrue();
        assertThat(EventQuery.builder().host("web2").build().matches(e)).isFalse();
        assertThat(EventQuery.builder().since(T).build().matches(e)).isTrue();
        assertThat(EventQuery.builder().since(T.plusMillis(1)).build().matches(e)).isFalse();
        assertThat(EventQuery.builder().until(T).build().matches(e)).isFalse();
        assertThat(EventQuery.builder().until(T.plusMillis(1)).build().matches(e)).isTrue();
        assertThat(EventQuery.builder().after(9).build().matches(e)).isTrue();
        assertThat(EventQuery.builder().after(10).build().matches(e)).isFalse();
        assertThat(EventQuery.builder().types(HostEvent.Type.BOOT).build().matches(e)).isFalse();
        assertThat(EventQuery.builder().types(HostEvent.Type.BOOT, HostEvent.Type.OVERDUE).build().matches(e)).isTrue();
    }

    @Test
    void aQueryLimitIsBounded() {
        assertThat(EventQuery.builder().build().limit()).isEqualTo(EventQuery.DEFAULT_LIMIT);
        assertThatThrownBy(() -> EventQuery.builder().limit(0)).hasMessageContaining("limit");
        assertThatThrownBy(() -> EventQuery.builder().limit(EventQuery.MAX_LIMIT + 1)).hasMessageContaining("limit");
        assertThatThrownBy(() -> EventQuery.builder().after(-1)).hasMessageContaining("after");
    }

    @Test
    void listenersStartLiveUnlessTheySayOtherwise() {
        HostEventListener live = event -> { };
        assertThat(live.resumeAfter()).isEqualTo(HostEventListener.LIVE);
    }
}
