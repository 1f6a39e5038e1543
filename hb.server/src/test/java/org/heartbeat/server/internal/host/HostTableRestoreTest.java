package org.heartbeat.server.internal.host;

import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.HostStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.heartbeat.protocol.Command;
import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.server.api.event.HostEvent.Type;
import org.heartbeat.server.internal.host.HostTable.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hosts restored from the state file after a server restart. */
class HostTableRestoreTest {
    private static final HostTable.Settings SETTINGS = new HostTable.Settings(60_000, 30_000, 1000, 0, 86_400_000L);
    private static final long ANNOUNCED = 10_000;
    private static final Duration DEADLINE = Duration.ofMillis(ANNOUNCED + SETTINGS.graceMillis());
    private static final long BASE = 1_764_115_200_000_000L;
    private static final Duration ONE_MS = Duration.ofMillis(1);

    private HostTableFixture f;

    @BeforeEach
    void startTable() {
        f = new HostTableFixture(SETTINGS);
    }

    @AfterEach
    void closeTable() {
        f.close();
    }

    private long ago(Duration d) {
        return f.now() - d.toMillis();
    }

    private SnapshotBuilder savedHost(String name) {
        return SnapshotBuilder.host(name).firstSeen(ago(Duration.ofDays(2))).lastSeen(ago(Duration.ofHours(1)))
                .announcedInterval(ANNOUNCED).heartbeats(500).lastSeq(BASE).address("192.0.2.10", 40000);
    }

    @Test
    void hostSavedUpComesBackUnknownAndIsOverdueAFullIntervalAfterRestore() {
        long restoredAt = f.now();
        f.restore(List.of(savedHost("web1").status(HostStatus.UP).build()));

        assertThat(f.host("web1").status()).isEqualTo(HostStatus.UNKNOWN);
        f.assertNoNewEvents(Type.OVERDUE, "web1");
        f.advance(DEADLINE.minus(ONE_MS));
        f.assertNoNewEvents(Type.OVERDUE, "web1");
        assertThat(f.host("web1").status()).isEqualTo(HostStatus.UNKNOWN);

        f.advance(ONE_MS);

        assertThat(f.awaitEvent(Type.OVERDUE, "web1").message()).contains("no heartbeat since");
        assertThat(f.host("web1").status()).isEqualTo(HostStatus.OVERDUE);
        assertThat(f.host("web1").overdueSinceMillis()).isEqualTo(restoredAt + DEADLINE.toMillis());
    }

    @Test
    void restoredHostThatReportsInTimeIsUpWithoutEvents() {
        f.restore(List.of(savedHost("web1").status(HostStatus.UP).build()));
        f.advance(Duration.ofSeconds(5));

        f.beat("web1", ANNOUNCED);

        assertThat(f.host("web1").status()).isEqualTo(HostStatus.UP);
        assertThat(f.events).isEmpty();
    }

    @Test
    void hostSavedOverdueStaysOverdueWithoutANewOverdueEvent() {
        long overdueSince = ago(Duration.ofMinutes(50));
        f.restore(List.of(savedHost("web1").status(HostStatus.OVERDUE).overdueSince(overdueSince).build()));

        assertThat(f.host("web1").status()).isEqualTo(HostStatus.OVERDUE);
        assertThat(f.host("web1").overdueSinceMillis()).isEqualTo(overdueSince);
        f.assertNoNewEvents(Type.OVERDUE, "web1");
        f.advance(Duration.ofHours(1));
        f.assertNoNewEvents(Type.OVERDUE, "web1");
        assertThat(f.events).isEmpty();

        f.beat("web1", ANNOUNCED);

        assertThat(f.events).extracting(HostEvent::type).containsExactly(Type.RECOVERED);
        assertThat(f.events.get(0).message()).contains("web1 is back after 1 h 50 min");
        assertThat(f.host("web1").status()).isEqualTo(HostStatus.UP);
        assertThat(f.host("web1").overdueSinceMillis()).isZero();
    }

    @Test
    void theConfiguredIntervalOfARestoredHostAppliesAtOnce() {
        // restored first (the registry reads its state file), configured a moment later (its settings arrive)
        f.restore(List.of(savedHost("db1").status(HostStatus.OVERDUE).overdueSince(ago(Duration.ofMinutes(5)))
                .build()));
        assertThat(f.host("db1").intervalMillis()).isEqualTo(ANNOUNCED);

        f.table.configure(java.util.Map.of("db1", new HostTable.Configured("db1", 3_000, -1, null, null, List.of(),
                List.of())));
        assertThat(f.host("db1").intervalMillis()).isEqualTo(3_000);
        assertThat(f.host("db1").configured()).isTrue();
    }

    @Test
    void restoredHostKeepsItsHistory() {
        long bootTime = ago(Duration.ofDays(30));
        long lastBoot = ago(Duration.ofDays(1));
        HostSnapshot saved = savedHost("web1").rtt(300, 200, 100).address("2001:db8::5", 50123).bootTime(bootTime)
                .lastBoot(lastBoot).lastSeq(BASE + 7).maxSeq(BASE + 9).authenticated(true).build();

        f.restore(List.of(saved));

        HostSnapshot s = f.host("web1");
        assertThat(s).usingRecursiveComparison()
                .ignoringFields("status", "intervalMillis", "graceMillis", "address")
                .isEqualTo(saved);
        assertThat(s.intervalMillis()).isEqualTo(ANNOUNCED);
        assertThat(s.graceMillis()).isEqualTo(SETTINGS.graceMillis());
        assertThat(s.address()).isEqualTo("2001:db8::5");
    }

    @Test
    void restoredHostIsNotNewWhenItReports() {
        long firstSeen = ago(Duration.ofDays(2));
        f.restore(List.of(savedHost("web1").build()));

        f.beat("web1", ANNOUNCED);

        assertThat(f.events(Type.NEW)).isEmpty();
        assertThat(f.host("web1").firstSeenMillis()).isEqualTo(firstSeen);
        assertThat(f.host("web1").heartbeats()).isEqualTo(501);
    }

    @Test
    void savedHighestSequenceNumberMakesOlderOnesReplays() {
        f.restore(List.of(savedHost("web1").maxSeq(BASE + 500).authenticated(true).build()));

        assertThat(f.signed("web1", BASE + 500).verdict()).isEqualTo(Verdict.REPLAYED);
        assertThat(f.signed("web1", BASE + 499).verdict()).isEqualTo(Verdict.REPLAYED);
        assertThat(f.signed("web1", BASE + 440).verdict()).isEqualTo(Verdict.REPLAYED);
        assertThat(f.signed("web1", BASE + 501).verdict()).isEqualTo(Verdict.ACCEPTED);
        assertThat(f.signed("web1", BASE + 500).verdict()).isEqualTo(Verdict.REPLAYED);
    }

    @Test
    void afterAnUncleanStopOnlyDatagramsSentAfterTheRestartAreAccepted() {
        f.table.restore(HostSnapshot.saved(List.of(savedHost("web1").maxSeq(BASE + 500).authenticated(true).build())),
                true);
        long restart = f.now();

        // captured before the crash, its seq above the saved one because the last save missed it
        assertThat(signedSentAt("web1", BASE + 520, restart - 1).verdict()).isEqualTo(Verdict.REPLAYED);
        assertThat(signedSentAt("web1", BASE + 600, restart).verdict()).isEqualTo(Verdict.ACCEPTED);
        // once the client is heard after the restart, everything below counts as seen
        assertThat(signedSentAt("web1", BASE + 560, restart + 1).verdict()).isEqualTo(Verdict.REPLAYED);
        assertThat(signedSentAt("web1", BASE + 599, restart + 1).verdict()).isEqualTo(Verdict.REPLAYED);
        assertThat(signedSentAt("web1", BASE + 601, restart - 5000).verdict()).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void afterAnUncleanStopAHostTheStateFileMissedIsProtectedToo() {
        f.table.restore(List.of(), true);
        long restart = f.now();

        assertThat(signedSentAt("fresh", BASE, restart - 1).verdict()).isEqualTo(Verdict.REPLAYED);
        assertThat(signedSentAt("fresh", BASE + 1, restart).verdict()).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void afterACleanStopTheSavedSequenceNumberIsEnough() {
        f.restore(List.of(savedHost("web1").maxSeq(BASE + 500).authenticated(true).build()));

        assertThat(signedSentAt("web1", BASE + 501, f.now() - 60_000).verdict()).isEqualTo(Verdict.ACCEPTED);
    }

    private HostTable.Outcome signedSentAt(String host, long seq, long sentMillis) {
        return f.table.heartbeat(org.heartbeat.protocol.Heartbeat.of(host, seq, sentMillis, 0), HostTableFixture.ADDRESS,
                true);
    }

    @Test
    void hostSavedWithoutASequenceNumberAcceptsAny() {
        f.restore(List.of(savedHost("web1").maxSeq(0).build()));

        assertThat(f.signed("web1", 12).verdict()).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void nextCommandIdSurvivesARestart() {
        f.restore(List.of(savedHost("web1").nextCommandId(8).commandsDone(7).build()));

        assertThat(f.host("web1").nextCommandId()).isEqualTo(8);
        assertThat(f.host("web1").commandsDone()).isEqualTo(7);
        assertThat(f.table.queueCommand("web1", "ping", "").map(org.heartbeat.protocol.Command::id)).contains(8L);
    }

    @Test
    void pendingCommandsOfAFreshHostSurviveARestart() {
        f.restore(List.of(savedHost("web1").command(1, "set-interval", "30").command(2, "ping", "")
                .nextCommandId(3).build()));

        assertThat(f.host("web1").pendingCommands()).containsExactly(new Command(1, "set-interval", "30"),
                new Command(2, "ping", ""));
        assertThat(f.beat(f.heartbeatReportingDone("web1", f.nextSeq(), 1)).commands())
                .containsExactly(new Command(2, "ping", ""));
    }

    /**
     * Saved commands keep their ids: renumbered from 1, any whose new id is at most commands_done would be
     * dropped as if the client had executed it.
     */
    @Test
    void pendingCommandsKeepTheirIdsAcrossARestart() {
        f.restore(List.of(savedHost("web1").command(5, "set-interval", "30").command(6, "ping", "")
                .nextCommandId(7).commandsDone(4).build()));

        List<Command> expected = List.of(new Command(5, "set-interval", "30"), new Command(6, "ping", ""));
        assertThat(f.beat(f.heartbeatReportingDone("web1", f.nextSeq(), 4)).commands()).isEqualTo(expected);
        assertThat(f.host("web1").pendingCommands()).isEqualTo(expected);
    }

    @Test
    void hostsSurviveASaveAndRestoreThroughTheStateFile(@TempDir Path dir) throws Exception {
        f.table.heartbeat(new Heartbeat("web1", BASE, f.now(), ANNOUNCED, 1500, 0, true, ago(Duration.ofDays(3))),
                HostTableFixture.address("2001:db8::7", 50001), true);
        f.table.heartbeat(new Heartbeat("web1", BASE + 1, f.now(), ANNOUNCED, 1700, 0, false, 0),
                HostTableFixture.address("2001:db8::7", 50001), true);
        f.beat(f.heartbeatWithRtt("db1", 250));
        f.table.queueCommand("db1", "ping", "");
        Path file = dir.resolve("state.json");
        StateFile.write(file, new StateFile.Contents(java.time.Instant.ofEpochMilli(f.now()), true, 0, f.table.saved()));
        List<HostSnapshot> before = HostSnapshot.all(f.table);

        try (HostTableFixture restarted = new HostTableFixture(SETTINGS)) {
            restarted.table.restore(StateFile.read(file).hosts(), false);

            assertThat(HostSnapshot.all(restarted.table)).usingRecursiveFieldByFieldElementComparatorIgnoringFields("status")
                    .isEqualTo(before);
            assertThat(HostSnapshot.all(restarted.table)).extracting(HostSnapshot::status)
                    .containsOnly(HostStatus.UNKNOWN);
        }
    }
}
