package org.heartbeat.server.internal.host;

import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.HostStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.heartbeat.protocol.Heartbeat;
import org.heartbeat.server.api.event.HostEvent.Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The life of a host in the {@link HostTable}: new, up, overdue, recovered, forgotten. */
class HostTableTest {
    private static final long DEFAULT_INTERVAL = 60_000;
    private static final long DEFAULT_GRACE = 30_000;
    private static final long ANNOUNCED = 10_000;
    /** What a host announcing {@link #ANNOUNCED} gets before it is overdue. */
    private static final Duration ANNOUNCED_DEADLINE = Duration.ofMillis(ANNOUNCED + DEFAULT_GRACE);
    private static final Duration ONE_MS = Duration.ofMillis(1);

    private HostTableFixture f;

    @BeforeEach
    void startTable() {
        f = new HostTableFixture(settings(1000, 0));
    }

    @AfterEach
    void closeTable() {
        f.close();
    }

    private static HostTable.Settings settings(int maxHosts, long forgetAfterMillis) {
        return new HostTable.Settings(DEFAULT_INTERVAL, DEFAULT_GRACE, maxHosts, forgetAfterMillis, 86_400_000L);
    }

    private static HostTable.Configured configured(String name, long intervalMillis, long graceMillis) {
        return new HostTable.Configured(name, intervalMillis, graceMillis, null, null, List.of(), List.of());
    }

    @Test
    void firstHeartbeatCreatesAnUpHostAndPostsNew() {
        long now = f.now();
        HostTable.Outcome outcome = f.table.heartbeat(f.heartbeat("web1", f.nextSeq(), ANNOUNCED),
                HostTableFixture.address("192.0.2.77", 40123), false);

        assertThat(outcome.verdict()).isEqualTo(HostTable.Verdict.ACCEPTED);
        assertThat(outcome.commands()).isEmpty();
        assertThat(f.events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(Type.NEW);
            assertThat(e.host()).isEqualTo("web1");
            assertThat(e.time().toEpochMilli()).isEqualTo(now);
            assertThat(e.message()).contains("web1", "192.0.2.77:40123", "10 s");
        });
        HostSnapshot s = f.host("web1");
        assertThat(s.status()).isEqualTo(HostStatus.UP);
        assertThat(s.configured()).isFalse();
        assertThat(s.address()).isEqualTo("192.0.2.77");
        assertThat(s.port()).isEqualTo(40123);
        assertThat(s.intervalMillis()).isEqualTo(ANNOUNCED);
        assertThat(s.announcedIntervalMillis()).isEqualTo(ANNOUNCED);
        assertThat(s.graceMillis()).isEqualTo(DEFAULT_GRACE);
        assertThat(s.firstSeenMillis()).isEqualTo(now);
        assertThat(s.lastSeenMillis()).isEqualTo(now);
        assertThat(s.heartbeats()).isEqualTo(1);
        assertThat(s.overdueSinceMillis()).isZero();
        assertThat(s.authenticated()).isFalse();
        assertThat(f.table.size()).isEqualTo(1);
    }

    @Test
    void laterHeartbeatsUpdateTheHostWithoutAnotherNewEvent() {
        f.beat("web1", ANNOUNCED);
        f.advance(Duration.ofSeconds(10));
        long now = f.now();
        f.table.heartbeat(f.heartbeat("web1", f.nextSeq(), 20_000), HostTableFixture.address("192.0.2.78", 40999),
                false);

        assertThat(f.events(Type.NEW)).hasSize(1);
        HostSnapshot s = f.host("web1");
        assertThat(s.lastSeenMillis()).isEqualTo(now);
        assertThat(s.firstSeenMillis()).isEqualTo(now - 10_000);
        assertThat(s.heartbeats()).isEqualTo(2);
        assertThat(s.intervalMillis()).isEqualTo(20_000);
        assertThat(s.address()).isEqualTo("192.0.2.78");
        assertThat(s.port()).isEqualTo(40999);
    }

    @Test
    void intervalIsConfiguredElseAnnouncedElseTheDefault() {
        f.table.configure(Map.of("set", configured("set", 120_000, -1), "unset", configured("unset", 0, -1)));

        f.beat("set", ANNOUNCED);
        f.beat("unset", ANNOUNCED);
        f.beat("announcing", ANNOUNCED);
        f.beat("silent", 0);

        assertThat(f.host("set").intervalMillis()).isEqualTo(120_000);
        assertThat(f.host("set").announcedIntervalMillis()).isEqualTo(ANNOUNCED);
        assertThat(f.host("unset").intervalMillis()).isEqualTo(ANNOUNCED);
        assertThat(f.host("announcing").intervalMillis()).isEqualTo(ANNOUNCED);
        assertThat(f.host("silent").intervalMillis()).isEqualTo(DEFAULT_INTERVAL);
    }

    @Test
    void graceIsConfiguredElseTheDefault() {
        f.table.configure(Map.of("long", configured("long", 0, 90_000), "none", configured("none", 0, 0),
                "unset", configured("unset", 0, -1)));

        f.beat("long", ANNOUNCED);
        f.beat("none", ANNOUNCED);
        f.beat("unset", ANNOUNCED);
        f.beat("unconfigured", ANNOUNCED);

        assertThat(f.host("long").graceMillis()).isEqualTo(90_000);
        assertThat(f.host("none").graceMillis()).isZero();
        assertThat(f.host("unset").graceMillis()).isEqualTo(DEFAULT_GRACE);
        assertThat(f.host("unconfigured").graceMillis()).isEqualTo(DEFAULT_GRACE);
    }

    @Test
    void configuredIntervalAndGraceSetTheDeadline() {
        f.table.configure(Map.of("db1", configured("db1", 20_000, 5_000)));
        f.beat("db1", ANNOUNCED);
        long lastSeen = f.now();

        f.advance(Duration.ofMillis(24_999));
        f.assertNoNewEvents(Type.OVERDUE, "db1");
        f.advance(ONE_MS);

        assertThat(f.awaitEvent(Type.OVERDUE, "db1").message()).contains("interval 20 s", "grace 5 s");
        assertThat(f.host("db1").overdueSinceMillis()).isEqualTo(lastSeen + 25_000);
    }

    @Test
    void aReconfiguredIntervalAppliesAtOnceAndMovesTheDeadlineOfAReportingHost() {
        f.beat("db1", ANNOUNCED);
        long lastSeen = f.now();
        assertThat(f.host("db1").intervalMillis()).isEqualTo(ANNOUNCED);

        f.table.configure(Map.of("db1", configured("db1", 2_000, 1_000)));
        assertThat(f.host("db1").intervalMillis()).as("shown at once, before the next heartbeat").isEqualTo(2_000);
        assertThat(f.host("db1").graceMillis()).isEqualTo(1_000);

        f.advance(Duration.ofMillis(2_999));
        f.assertNoNewEvents(Type.OVERDUE, "db1");
        f.advance(ONE_MS);
        f.awaitEvent(Type.OVERDUE, "db1");
        assertThat(f.host("db1").overdueSinceMillis()).isEqualTo(lastSeen + 3_000);
    }

    @Test
    void overdueExactlyAfterIntervalPlusGrace() {
        f.beat("web1", ANNOUNCED);
        long lastSeen = f.now();

        f.advance(ANNOUNCED_DEADLINE.minus(ONE_MS));
        f.assertNoNewEvents(Type.OVERDUE, "web1");
        assertThat(f.host("web1").status()).isEqualTo(HostStatus.UP);

        f.advance(ONE_MS);
        HostEvent overdue = f.awaitEvent(Type.OVERDUE, "web1");

        HostSnapshot s = f.host("web1");
        assertThat(s.status()).isEqualTo(HostStatus.OVERDUE);
        assertThat(s.overdueSinceMillis()).isEqualTo(lastSeen + ANNOUNCED + DEFAULT_GRACE);
        assertThat(overdue.time().toEpochMilli()).isEqualTo(f.now());
        assertThat(overdue.message()).contains("web1 is overdue", "40 s ago");
        assertThat(f.events(Type.OVERDUE)).hasSize(1);
    }

    @Test
    void overdueSinceIsTheDeadlineEvenWhenNoticedLater() {
        f.beat("web1", ANNOUNCED);
        long lastSeen = f.now();

        f.advance(Duration.ofMinutes(5));
        HostEvent overdue = f.awaitEvent(Type.OVERDUE, "web1");

        assertThat(f.host("web1").overdueSinceMillis()).isEqualTo(lastSeen + ANNOUNCED_DEADLINE.toMillis());
        assertThat(overdue.time().toEpochMilli()).isEqualTo(lastSeen + Duration.ofMinutes(5).toMillis());
    }

    @Test
    void eachHeartbeatMovesTheDeadline() {
        f.beat("web1", ANNOUNCED);
        f.advance(Duration.ofSeconds(30));
        f.beat("web1", ANNOUNCED);
        long lastSeen = f.now();

        f.advance(Duration.ofSeconds(30));
        f.assertNoNewEvents(Type.OVERDUE, "web1");
        f.advance(Duration.ofSeconds(10));

        f.awaitEvent(Type.OVERDUE, "web1");
        assertThat(f.host("web1").overdueSinceMillis()).isEqualTo(lastSeen + ANNOUNCED_DEADLINE.toMillis());
    }

    @Test
    void heartbeatAfterOverdueRecovers() {
        f.beat("web1", ANNOUNCED);
        f.advance(ANNOUNCED_DEADLINE);
        f.awaitEvent(Type.OVERDUE, "web1");
        f.advance(Duration.ofSeconds(20));

        f.beat("web1", ANNOUNCED);

        HostEvent recovered = f.awaitEvent(Type.RECOVERED, "web1");
        assertThat(recovered.time().toEpochMilli()).isEqualTo(f.now());
        assertThat(recovered.message()).contains("web1 is back after 20 s");
        HostSnapshot s = f.host("web1");
        assertThat(s.status()).isEqualTo(HostStatus.UP);
        assertThat(s.overdueSinceMillis()).isZero();
    }

    @Test
    void recoveredHostCanBecomeOverdueAgain() {
        f.beat("web1", ANNOUNCED);
        f.advance(ANNOUNCED_DEADLINE);
        f.awaitEvent(Type.OVERDUE, "web1");
        f.advance(Duration.ofMinutes(3));
        f.beat("web1", ANNOUNCED);
        long lastSeen = f.now();

        f.advance(ANNOUNCED_DEADLINE);

        f.awaitEvents(Type.OVERDUE, "web1", 2);
        assertThat(f.host("web1").overdueSinceMillis()).isEqualTo(lastSeen + ANNOUNCED_DEADLINE.toMillis());
    }

    @Test
    void upHostDoesNotRecover() {
        f.beat("web1");
        f.advance(Duration.ofSeconds(5));
        f.beat("web1");

        assertThat(f.events(Type.RECOVERED)).isEmpty();
    }

    @Test
    void bootMessageRecordsTheBootTimeAndPostsBoot() {
        long bootTime = f.now() - Duration.ofMinutes(2).toMillis();

        f.beat(f.boot("web1", bootTime));

        assertThat(f.events).extracting(HostEvent::type).containsExactly(Type.NEW, Type.BOOT);
        assertThat(f.events(Type.BOOT).get(0).message()).contains("web1 booted at 2025-11-25T23:58:00.123Z");
        HostSnapshot s = f.host("web1");
        assertThat(s.bootTimeMillis()).isEqualTo(bootTime);
        assertThat(s.lastBootMillis()).isEqualTo(f.now());
        assertThat(s.status()).isEqualTo(HostStatus.UP);
        assertThat(s.heartbeats()).isEqualTo(1);
    }

    @Test
    void bootOfAKnownHostPostsOnlyBoot() {
        f.beat("web1");
        f.advance(Duration.ofMinutes(1));

        f.beat(f.boot("web1", 0));

        assertThat(f.events).extracting(HostEvent::type).containsExactly(Type.NEW, Type.BOOT);
        assertThat(f.events(Type.BOOT).get(0).message()).isEqualTo("web1 booted");
        assertThat(f.host("web1").lastBootMillis()).isEqualTo(f.now());
        assertThat(f.host("web1").bootTimeMillis()).isZero();
    }

    @Test
    void plainHeartbeatKeepsTheLastBoot() {
        long bootTime = f.now() - 5_000;
        f.beat(f.boot("web1", bootTime));
        long bootReceived = f.now();
        f.advance(Duration.ofSeconds(10));

        f.beat("web1");

        assertThat(f.host("web1").bootTimeMillis()).isEqualTo(bootTime);
        assertThat(f.host("web1").lastBootMillis()).isEqualTo(bootReceived);
    }

    @Test
    void rttHistoryKeepsTheLast32OldestFirst() {
        for (int i = 0; i < 40; i++) {
            f.beat(f.heartbeatWithRtt("web1", 1000 + i));
        }

        HostSnapshot s = f.host("web1");
        assertThat(s.rttHistoryMicros()).containsExactly(IntStream.range(8, 40).map(i -> 1000 + i).toArray());
        assertThat(s.rttMicros()).isEqualTo(1039);
    }

    @Test
    void heartbeatWithoutRttAddsNothingToTheHistory() {
        f.beat(f.heartbeatWithRtt("web1", 500));
        f.beat(f.heartbeatWithRtt("web1", 700));

        f.beat("web1");

        assertThat(f.host("web1").rttHistoryMicros()).containsExactly(500, 700);
        assertThat(f.host("web1").rttMicros()).isEqualTo(700);
    }

    @Test
    void hostThatNeverReportedAnRttHasNone() {
        f.beat("web1");

        assertThat(f.host("web1").rttHistoryMicros()).isEmpty();
        assertThat(f.host("web1").rttMicros()).isEqualTo(-1);
    }

    @Test
    void rttAboveTheIntRangeIsClampedNotWrapped() {
        f.beat(f.heartbeatWithRtt("web1", 3_000_000_000L));

        assertThat(f.host("web1").rttMicros()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void configuredHostThatNeverReportsIsUnknownThenOverdue() {
        long configuredAt = f.now();
        f.table.configure(Map.of("db1", configured("db1", 20_000, 10_000)));

        HostSnapshot before = f.host("db1");
        assertThat(before.status()).isEqualTo(HostStatus.UNKNOWN);
        assertThat(before.configured()).isTrue();
        assertThat(before.lastSeenMillis()).isZero();
        assertThat(before.heartbeats()).isZero();
        assertThat(before.address()).isNull();

        f.advance(Duration.ofMillis(29_999));
        f.assertNoNewEvents(Type.OVERDUE, "db1");
        f.advance(ONE_MS);

        assertThat(f.awaitEvent(Type.OVERDUE, "db1").message()).contains("has not reported since the server started");
        assertThat(f.host("db1").status()).isEqualTo(HostStatus.OVERDUE);
        assertThat(f.host("db1").overdueSinceMillis()).isEqualTo(configuredAt + 30_000);
    }

    @Test
    void configuredHostReportingForTheFirstTimeIsNewNotRecovered() {
        f.table.configure(Map.of("db1", configured("db1", 20_000, 10_000)));
        f.advance(Duration.ofSeconds(5));

        f.beat("db1");

        assertThat(f.events).extracting(HostEvent::type).containsExactly(Type.NEW);
        assertThat(f.host("db1").status()).isEqualTo(HostStatus.UP);
        assertThat(f.host("db1").firstSeenMillis()).isEqualTo(f.now());
    }

    @Test
    void reconfiguringDoesNotRestartTheWaitOfAHostThatNeverReported() {
        long configuredAt = f.now();
        f.table.configure(Map.of("db1", configured("db1", 20_000, 10_000)));
        f.advance(Duration.ofSeconds(20));
        f.table.configure(Map.of("db1", configured("db1", 20_000, 10_000)));

        f.advance(Duration.ofSeconds(10));

        f.awaitEvent(Type.OVERDUE, "db1");
        assertThat(f.host("db1").overdueSinceMillis()).isEqualTo(configuredAt + 30_000);
    }

    @Test
    void maxHostsRefusesNewHostsButNotConfiguredOrKnownOnes() {
        f.table.settings(settings(3, 0));
        f.table.configure(Map.of("cfg", configured("cfg", 0, -1)));
        f.beat("a");
        f.beat("b");

        HostTable.Outcome refused = f.beat("c");

        assertThat(refused.verdict()).isEqualTo(HostTable.Verdict.HOST_LIMIT);
        assertThat(refused.commands()).isEmpty();
        assertThat(HostSnapshot.of(f.table, "c")).isEmpty();
        assertThat(f.events(Type.NEW, "c")).isEmpty();
        assertThat(f.table.size()).isEqualTo(3);
        assertThat(f.beat("a").verdict()).isEqualTo(HostTable.Verdict.ACCEPTED);
        assertThat(f.beat("cfg").verdict()).isEqualTo(HostTable.Verdict.ACCEPTED);
        assertThat(f.events(Type.NEW, "cfg")).hasSize(1);
    }

    @Test
    void hostConfiguredWhileTheTableIsFullIsAccepted() {
        f.table.settings(settings(2, 0));
        f.beat("a");
        f.beat("b");

        f.table.configure(Map.of("late", configured("late", 0, -1)));

        assertThat(f.beat("late").verdict()).isEqualTo(HostTable.Verdict.ACCEPTED);
        assertThat(f.host("late").status()).isEqualTo(HostStatus.UP);
        assertThat(f.beat("d").verdict()).isEqualTo(HostTable.Verdict.HOST_LIMIT);
    }

    @Test
    void silentUnconfiguredHostIsForgottenAfterForgetAfter() {
        f.table.settings(settings(1000, Duration.ofHours(1).toMillis()));
        f.beat("gone", ANNOUNCED);
        long lastSeen = f.now();
        f.advance(ANNOUNCED_DEADLINE);
        f.awaitEvent(Type.OVERDUE, "gone");

        f.advance(Duration.ofHours(1).minus(ANNOUNCED_DEADLINE).minus(ONE_MS));
        f.assertNoNewEvents(Type.FORGOTTEN, "gone");
        assertThat(HostSnapshot.of(f.table, "gone")).isPresent();
        f.advance(ONE_MS);

        HostEvent forgotten = f.awaitEvent(Type.FORGOTTEN, "gone");
        assertThat(forgotten.time().toEpochMilli()).isEqualTo(lastSeen + Duration.ofHours(1).toMillis());
        assertThat(forgotten.message()).contains("gone forgotten after 1 h");
        assertThat(HostSnapshot.of(f.table, "gone")).isEmpty();
        assertThat(HostSnapshot.all(f.table)).isEmpty();
        assertThat(f.table.size()).isZero();
    }

    @Test
    void aHostNoLongerConfiguredTakesItsAnnouncedIntervalAgain() {
        f.table.configure(Map.of("web1", configured("web1", 5000, -1)));
        f.beat("web1", ANNOUNCED);
        assertThat(f.host("web1").intervalMillis()).isEqualTo(5000);

        f.table.configure(Map.of());

        assertThat(f.host("web1").intervalMillis()).isEqualTo(ANNOUNCED);
        f.advance(Duration.ofSeconds(6));
        f.assertNoNewEvents(Type.OVERDUE, "web1");
    }

    @Test
    void aHostIsForgottenOnRequestWithWhoInTheEvent() {
        f.beat("old", ANNOUNCED);

        assertThat(f.table.forget("old", "by alice")).isTrue();

        HostEvent forgotten = f.awaitEvent(Type.FORGOTTEN, "old");
        assertThat(forgotten.message()).isEqualTo("old forgotten by alice");
        assertThat(forgotten.statusBefore()).contains(HostStatus.UP);
        assertThat(HostSnapshot.of(f.table, "old")).isEmpty();
        assertThat(f.table.forget("old", "by alice")).as("already gone").isFalse();
        f.advance(ANNOUNCED_DEADLINE);
        f.assertNoNewEvents(Type.OVERDUE, "old");
        assertThat(f.beat("old", ANNOUNCED).verdict()).isEqualTo(HostTable.Verdict.ACCEPTED);
        assertThat(f.events(Type.NEW, "old")).as("it comes back as a new host").hasSize(2);
    }

    @Test
    void configuredHostIsNeverForgotten() {
        f.table.settings(settings(1000, Duration.ofHours(1).toMillis()));
        f.table.configure(Map.of("kept", configured("kept", ANNOUNCED, -1)));
        f.beat("kept", ANNOUNCED);
        f.advance(Duration.ofSeconds(1));
        f.beat("dropped", ANNOUNCED);
        f.advance(ANNOUNCED_DEADLINE);
        f.awaitEvent(Type.OVERDUE, "kept");
        f.awaitEvent(Type.OVERDUE, "dropped");

        f.advance(Duration.ofHours(2));

        f.awaitEvent(Type.FORGOTTEN, "dropped");
        f.assertNoNewEvents(Type.FORGOTTEN, "kept");
        assertThat(f.events(Type.FORGOTTEN, "kept")).isEmpty();
        assertThat(f.host("kept").status()).isEqualTo(HostStatus.OVERDUE);
        assertThat(HostSnapshot.all(f.table)).extracting(HostSnapshot::name).containsExactly("kept");
    }

    @Test
    void hostIsNotForgottenWhenForgetAfterIsZero() {
        f.beat("web1", ANNOUNCED);
        f.advance(ANNOUNCED_DEADLINE);
        f.awaitEvent(Type.OVERDUE, "web1");

        f.advance(Duration.ofDays(400));

        f.assertNoNewEvents(Type.FORGOTTEN, "web1");
        assertThat(HostSnapshot.of(f.table, "web1")).isPresent();
    }

    @Test
    void heartbeatAfterBeingForgottenCreatesTheHostAnew() {
        f.table.settings(settings(1000, Duration.ofHours(1).toMillis()));
        f.beat(f.heartbeatWithRtt("web1", 900));
        f.advance(Duration.ofHours(2));
        f.awaitEvent(Type.FORGOTTEN, "web1");

        f.beat("web1", ANNOUNCED);

        assertThat(f.events(Type.NEW, "web1")).hasSize(2);
        assertThat(f.events(Type.RECOVERED)).isEmpty();
        HostSnapshot s = f.host("web1");
        assertThat(s.status()).isEqualTo(HostStatus.UP);
        assertThat(s.heartbeats()).isEqualTo(1);
        assertThat(s.firstSeenMillis()).isEqualTo(f.now());
        assertThat(s.rttHistoryMicros()).isEmpty();
    }

    @Test
    void snapshotListsHostsByName() {
        f.beat("charlie");
        f.beat("alpha");
        f.beat("bravo");

        assertThat(HostSnapshot.all(f.table)).extracting(HostSnapshot::name).containsExactly("alpha", "bravo", "charlie");
        assertThat(HostSnapshot.of(f.table, "delta")).isEmpty();
    }

    @Test
    void configuredHostGoesOverdueWhenTheMonotonicClockReadsNegative() {
        ManualTicker negative = new ManualTicker(ManualTicker.START_WALL_MILLIS, -ManualTicker.START_NANOS);
        try (HostTableFixture g = new HostTableFixture(settings(1000, 0), negative)) {
            g.table.configure(Map.of("db1", configured("db1", ANNOUNCED, -1)));

            g.advance(ANNOUNCED_DEADLINE);

            g.awaitEvent(Type.OVERDUE, "db1");
        }
    }

    /**
     * Ticker, like System.nanoTime, promises only an arbitrary origin, so negative readings are allowed; the
     * "not queued" sentinel (Long.MAX_VALUE) must not be compared by subtraction, which would overflow.
     */
    @Test
    void hostGoesOverdueWhenTheMonotonicClockReadsNegative() {
        ManualTicker negative = new ManualTicker(ManualTicker.START_WALL_MILLIS, -ManualTicker.START_NANOS);
        try (HostTableFixture g = new HostTableFixture(settings(1000, 0), negative)) {
            g.beat("web1", ANNOUNCED);

            g.advance(ANNOUNCED_DEADLINE);

            g.awaitEvent(Type.OVERDUE, "web1");
        }
    }

    /**
     * An event listener that throws once must not leave the host's deadline bookkeeping behind, or it would
     * never be queued, and never become overdue, again.
     */
    @Test
    void hostStillGoesOverdueAfterAnEventListenerFailedOnce() {
        ManualTicker ticker = new ManualTicker();
        List<HostEvent> events = new CopyOnWriteArrayList<>();
        List<RuntimeException> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean failNext = new AtomicBoolean(true);
        HostTable.EventSink flakyListener = b -> {
            HostEvent e = b.id(events.size() + 1).build();
            if (e.type() == Type.OVERDUE && failNext.getAndSet(false)) {
                throw new IllegalStateException("listener failed");
            }
            events.add(e);
            return e;
        };
        try (HostTable table = new HostTable(settings(1000, 0), ticker, flakyListener, errors::add)) {
            table.heartbeat(Heartbeat.of("web1", 1, ticker.wallMillis(), ANNOUNCED), HostTableFixture.ADDRESS, false);
            ticker.advance(ANNOUNCED_DEADLINE);
            table.poke();
            HostTableFixture.soon().until(() -> errors.size() == 1);
            table.heartbeat(Heartbeat.of("web1", 2, ticker.wallMillis(), ANNOUNCED), HostTableFixture.ADDRESS, false);

            ticker.advance(ANNOUNCED_DEADLINE);
            table.poke();

            HostTableFixture.soon().until(() -> events.stream().anyMatch(e -> e.type() == Type.OVERDUE));
        }
    }
}
