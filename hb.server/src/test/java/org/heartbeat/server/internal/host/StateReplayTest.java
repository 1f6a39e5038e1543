package org.heartbeat.server.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.event.HostEvent;
import org.junit.jupiter.api.Test;

class StateReplayTest {
    private static final Instant T = Instant.parse("2026-11-26T08:00:00Z");
    private long id = 100;

    private SavedHost saved(String name, HostStatus status, Instant lastSeen) {
        return new SavedHost(HostView.builder(name).status(status).lastSeen(lastSeen).firstSeen(lastSeen)
                .heartbeats(5).build(), 7, 9, 3, 2);
    }

    private HostEvent event(HostEvent.Type type, String host, Instant at) {
        return HostEvent.builder(type, host).id(++id).time(at).overdueSince(at.minusSeconds(1))
                .deadline(at.minusSeconds(1)).address(new InetSocketAddress("192.0.2.1", 4000))
                .bootTime(at.minusSeconds(60)).build();
    }

    private static HostView only(List<SavedHost> hosts) {
        assertThat(hosts).hasSize(1);
        return hosts.get(0).view();
    }

    @Test
    void anOverdueTheFileMissedIsKept() {
        List<SavedHost> after = StateReplay.apply(List.of(saved("web1", HostStatus.UP, T)),
                List.of(event(HostEvent.Type.OVERDUE, "web1", T.plusSeconds(23))));

        HostView v = only(after);
        assertThat(v.status()).isEqualTo(HostStatus.OVERDUE);
        assertThat(v.overdueSince()).contains(T.plusSeconds(22));
        assertThat(after.get(0).maxSeq()).as("replay protection is kept").isEqualTo(9);
    }

    @Test
    void theLastEventOfAHostWins() {
        List<SavedHost> after = StateReplay.apply(List.of(saved("web1", HostStatus.UP, T)), List.of(
                event(HostEvent.Type.OVERDUE, "web1", T.plusSeconds(23)),
                event(HostEvent.Type.RECOVERED, "web1", T.plusSeconds(30))));

        HostView v = only(after);
        assertThat(v.status()).isEqualTo(HostStatus.UP);
        assertThat(v.overdueSince()).isEmpty();
        assertThat(v.lastSeen()).contains(T.plusSeconds(30));
    }

    @Test
    void replayingWhatTheFileAlreadyShowsChangesNothing() {
        SavedHost overdue = new SavedHost(HostView.builder("web1").status(HostStatus.OVERDUE).lastSeen(T)
                .overdueSince(T.plusSeconds(22)).build(), 0, 0, 1, 0);
        List<SavedHost> after = StateReplay.apply(List.of(overdue),
                List.of(event(HostEvent.Type.OVERDUE, "web1", T.plusSeconds(23))));

        assertThat(after).containsExactly(overdue);
    }

    @Test
    void aRecoveryNeverMovesLastSeenBack() {
        Instant later = T.plusSeconds(50);
        List<SavedHost> after = StateReplay.apply(List.of(saved("web1", HostStatus.UP, later)),
                List.of(event(HostEvent.Type.RECOVERED, "web1", T.plusSeconds(30))));

        assertThat(only(after).lastSeen()).contains(later);
    }

    @Test
    void aNewHostTheFileMissedIsAddedAndAForgottenOneRemoved() {
        List<SavedHost> after = StateReplay.apply(List.of(saved("old", HostStatus.OVERDUE, T)), List.of(
                event(HostEvent.Type.NEW, "fresh", T.plusSeconds(1)),
                event(HostEvent.Type.FORGOTTEN, "old", T.plusSeconds(2))));

        HostView v = only(after);
        assertThat(v.name()).isEqualTo("fresh");
        assertThat(v.status()).isEqualTo(HostStatus.UP);
        assertThat(v.firstSeen()).contains(T.plusSeconds(1));
        assertThat(v.address()).contains(new InetSocketAddress("192.0.2.1", 4000));
    }

    @Test
    void aBootIsRecorded() {
        List<SavedHost> after = StateReplay.apply(List.of(saved("web1", HostStatus.OVERDUE, T)),
                List.of(event(HostEvent.Type.BOOT, "web1", T.plusSeconds(90))));

        HostView v = only(after);
        assertThat(v.status()).isEqualTo(HostStatus.UP);
        assertThat(v.lastBoot()).contains(T.plusSeconds(90));
        assertThat(v.bootTime()).contains(T.plusSeconds(30));
    }

    @Test
    void eventsOfHostsNeitherKnowsAreIgnored() {
        assertThat(StateReplay.apply(List.of(), List.of(event(HostEvent.Type.OVERDUE, "ghost", T)))).isEmpty();
    }
}
