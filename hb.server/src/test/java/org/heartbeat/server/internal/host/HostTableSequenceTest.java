package org.heartbeat.server.internal.host;

import org.heartbeat.server.api.event.HostEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;

import org.heartbeat.protocol.PluginError;
import org.heartbeat.server.api.event.HostEvent.Type;
import org.heartbeat.server.internal.host.HostTable.PluginVerdict;
import org.heartbeat.server.internal.host.HostTable.Verdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the {@link HostTable} makes of sequence numbers: replay protection and name conflicts. */
class HostTableSequenceTest {
    private static final long BASE = 1_764_115_200_000_000L;
    private static final InetSocketAddress FIRST_MACHINE = HostTableFixture.address("192.0.2.10", 40000);
    private static final InetSocketAddress SECOND_MACHINE = HostTableFixture.address("198.51.100.20", 41000);

    private HostTableFixture f;

    @BeforeEach
    void startTable() {
        f = new HostTableFixture(new HostTable.Settings(60_000, 30_000, 1000, 0, 86_400_000L));
    }

    @AfterEach
    void closeTable() {
        f.close();
    }

    @Test
    void sameSequenceNumberTwiceIsAReplay() {
        assertThat(f.signed("web1", BASE).verdict()).isEqualTo(Verdict.ACCEPTED);

        HostTable.Outcome replay = f.signed("web1", BASE);

        assertThat(replay.verdict()).isEqualTo(Verdict.REPLAYED);
        assertThat(replay.commands()).isEmpty();
        assertThat(f.host("web1").heartbeats()).isEqualTo(1);
    }

    @Test
    void lateButUnseenSequenceNumberIsAcceptedOnce() {
        f.signed("web1", BASE);

        assertThat(f.signed("web1", BASE - 10).verdict()).isEqualTo(Verdict.ACCEPTED);
        assertThat(f.signed("web1", BASE - 10).verdict()).isEqualTo(Verdict.REPLAYED);
        assertThat(f.host("web1").heartbeats()).isEqualTo(2);
        assertThat(f.host("web1").maxSeq()).isEqualTo(BASE);
    }

    @Test
    void sequenceNumberUpTo63BelowTheHighestIsStillAccepted() {
        f.signed("web1", BASE);

        assertThat(f.signed("web1", BASE - 63).verdict()).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void sequenceNumber64OrMoreBelowTheHighestIsAReplay() {
        f.signed("web1", BASE);

        assertThat(f.signed("web1", BASE - 64).verdict()).isEqualTo(Verdict.REPLAYED);
        assertThat(f.signed("web1", BASE - 1000).verdict()).isEqualTo(Verdict.REPLAYED);
        assertThat(f.signed("web1", 0).verdict()).isEqualTo(Verdict.REPLAYED);
    }

    @Test
    void replayDoesNotCountAsBeingAlive() {
        f.signed("web1", BASE);
        long lastSeen = f.now();
        f.advance(Duration.ofSeconds(80));

        f.signed("web1", BASE);
        f.advance(Duration.ofSeconds(10));

        f.awaitEvent(Type.OVERDUE, "web1");
        assertThat(f.host("web1").lastSeenMillis()).isEqualTo(lastSeen);
        assertThat(f.host("web1").overdueSinceMillis()).isEqualTo(lastSeen + 90_000);
    }

    @Test
    void replayCannotAcknowledgeCommands() {
        f.table.heartbeat(f.heartbeatReportingDone("web1", BASE, 0), FIRST_MACHINE, true);
        f.table.queueCommand("web1", "ping", "");

        HostTable.Outcome replay = f.table.heartbeat(f.heartbeatReportingDone("web1", BASE, 1), FIRST_MACHINE, true);

        assertThat(replay.verdict()).isEqualTo(Verdict.REPLAYED);
        assertThat(f.host("web1").pendingCommands()).extracting(c -> c.id()).containsExactly(1L);
        assertThat(f.host("web1").commandsDone()).isZero();
    }

    @Test
    void unauthenticatedHeartbeatsAreNeverRefusedForTheirSequenceNumber() {
        for (long seq : new long[] {BASE, BASE, BASE - 1000, 0, BASE}) {
            assertThat(f.unsigned("web1", seq, FIRST_MACHINE).verdict()).isEqualTo(Verdict.ACCEPTED);
        }

        assertThat(f.host("web1").heartbeats()).isEqualTo(5);
        assertThat(f.host("web1").maxSeq()).isZero();
        assertThat(f.host("web1").authenticated()).isFalse();
    }

    @Test
    void snapshotShowsLastAndHighestSequenceNumberOfAnAuthenticatedHost() {
        f.signed("web1", BASE);
        f.signed("web1", BASE - 5);

        HostSnapshot s = f.host("web1");
        assertThat(s.lastSeq()).isEqualTo(BASE - 5);
        assertThat(s.maxSeq()).isEqualTo(BASE);
        assertThat(s.authenticated()).isTrue();
    }

    @Test
    void pluginDatagramsShareTheReplayWindowOfTheirHost() {
        f.signed("web1", BASE);

        assertThat(f.table.acceptPluginMessage(pluginError("web1", BASE), true)).isEqualTo(PluginVerdict.REPLAYED);
        assertThat(f.table.acceptPluginMessage(pluginError("web1", BASE + 1), true)).isEqualTo(PluginVerdict.ACCEPTED);
        assertThat(f.table.acceptPluginMessage(pluginError("web1", BASE + 1), true)).isEqualTo(PluginVerdict.REPLAYED);
        assertThat(f.signed("web1", BASE + 1).verdict()).isEqualTo(Verdict.REPLAYED);
        assertThat(f.signed("web1", BASE + 2).verdict()).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void unsignedPluginDatagramsOfTrackedHostsPassAndThoseOfUntrackedHostsNever() {
        f.signed("web1", BASE);

        assertThat(f.table.acceptPluginMessage(pluginError("web1", BASE), false)).isEqualTo(PluginVerdict.ACCEPTED);
        assertThat(f.table.acceptPluginMessage(pluginError("web1", BASE), false)).isEqualTo(PluginVerdict.ACCEPTED);
        assertThat(f.table.acceptPluginMessage(pluginError("stranger", 1), false))
                .isEqualTo(PluginVerdict.UNKNOWN_HOST);
        assertThat(f.table.acceptPluginMessage(pluginError("stranger", 1), true)).isEqualTo(PluginVerdict.UNKNOWN_HOST);
        assertThat(HostSnapshot.of(f.table, "stranger")).as("plugin data creates no host").isEmpty();
    }

    @Test
    void twoMachinesUnderOneNameRaiseExactlyOneNameConflict() {
        for (int i = 0; i < 6; i++) {
            f.unsigned("web1", 2 * BASE + i, FIRST_MACHINE);
            f.advance(Duration.ofSeconds(5));
            f.unsigned("web1", BASE + i, SECOND_MACHINE);
            f.advance(Duration.ofSeconds(5));
        }

        assertThat(f.events(Type.NAME_CONFLICT)).singleElement().satisfies(e -> {
            assertThat(e.host()).isEqualTo("web1");
            assertThat(e.message()).contains("192.0.2.10:40000", "198.51.100.20:41000", "hbc -n");
        });
        assertThat(f.host("web1").conflict()).contains("192.0.2.10:40000", "198.51.100.20:41000");
    }

    @Test
    void twoMachinesSharingAKeyRaiseANameConflict() {
        for (int i = 0; i < 4; i++) {
            f.signed("web1", 2 * BASE + i, FIRST_MACHINE);
            f.advance(Duration.ofSeconds(5));
            assertThat(f.signed("web1", BASE + i, SECOND_MACHINE).verdict()).isEqualTo(Verdict.REPLAYED);
            f.advance(Duration.ofSeconds(5));
        }

        assertThat(f.events(Type.NAME_CONFLICT)).hasSize(1);
        assertThat(f.host("web1").conflict()).isNotNull();
    }

    @Test
    void restartedClientIsNoNameConflict() {
        for (int i = 0; i < 5; i++) {
            f.unsigned("web1", BASE + i, FIRST_MACHINE);
            f.advance(Duration.ofSeconds(5));
        }
        InetSocketAddress newPort = HostTableFixture.address("192.0.2.10", 40001);
        InetSocketAddress newAddress = HostTableFixture.address("192.0.2.11", 40002);
        for (int i = 0; i < 5; i++) {
            f.unsigned("web1", BASE + 30_000_000 + i, newPort);
            f.advance(Duration.ofSeconds(5));
        }
        for (int i = 0; i < 5; i++) {
            f.unsigned("web1", BASE + 60_000_000 + i, newAddress);
            f.advance(Duration.ofSeconds(5));
        }

        assertThat(f.events(Type.NAME_CONFLICT)).isEmpty();
        assertThat(f.host("web1").conflict()).isNull();
        assertThat(f.host("web1").address()).isEqualTo("192.0.2.11");
    }

    @Test
    void oneStepBackFromAnotherAddressIsNotYetAConflict() {
        f.unsigned("web1", BASE + 10, FIRST_MACHINE);
        f.unsigned("web1", BASE + 5, SECOND_MACHINE);
        f.unsigned("web1", BASE + 6, SECOND_MACHINE);
        f.unsigned("web1", BASE + 7, SECOND_MACHINE);

        assertThat(f.events(Type.NAME_CONFLICT)).isEmpty();
        assertThat(f.host("web1").conflict()).isNull();
    }

    @Test
    void sequenceGoingBackFromTheSameAddressIsNoConflict() {
        for (int i = 0; i < 4; i++) {
            f.unsigned("web1", BASE + 100 - i, FIRST_MACHINE);
        }

        assertThat(f.events(Type.NAME_CONFLICT)).isEmpty();
    }

    @Test
    void evidenceFarApartDoesNotAddUp() {
        f.unsigned("web1", 2 * BASE, FIRST_MACHINE);
        f.unsigned("web1", BASE, SECOND_MACHINE);
        f.advance(Duration.ofMinutes(11));
        f.unsigned("web1", 2 * BASE + 1, FIRST_MACHINE);
        f.unsigned("web1", BASE + 1, SECOND_MACHINE);

        assertThat(f.events(Type.NAME_CONFLICT)).isEmpty();
    }

    private static PluginError pluginError(String host, long seq) {
        return new PluginError(host, seq, ManualTicker.START_WALL_MILLIS, 0, "cpu_monitor", "timed out");
    }
}
