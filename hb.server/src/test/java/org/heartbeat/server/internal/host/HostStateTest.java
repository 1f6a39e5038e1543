package org.heartbeat.server.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.heartbeat.protocol.Command;
import org.junit.jupiter.api.Test;

/** The per-host bookkeeping: replay window, RTT ring and command queue. */
class HostStateTest {
    private static final long TWO_TO_63 = Long.MIN_VALUE;

    private final HostState state = new HostState("web1");

    @Test
    void firstSequenceNumberIsAlwaysAccepted() {
        assertThat(state.acceptSeq(12345, 0)).isTrue();
        assertThat(state.maxSeq).isEqualTo(12345);
    }

    @Test
    void zeroIsAValidFirstSequenceNumber() {
        assertThat(state.acceptSeq(0, 0)).isTrue();
        assertThat(state.acceptSeq(0, 0)).isFalse();
        assertThat(state.acceptSeq(1, 0)).isTrue();
    }

    @Test
    void increasingSequenceNumbersAreAccepted() {
        for (long seq = 1000; seq < 1200; seq++) {
            assertThat(state.acceptSeq(seq, 0)).as("seq %d", seq).isTrue();
        }
        assertThat(state.maxSeq).isEqualTo(1199);
    }

    @Test
    void sameSequenceNumberIsAcceptedOnlyOnce() {
        state.acceptSeq(1000, 0);

        assertThat(state.acceptSeq(1000, 0)).isFalse();
    }

    @Test
    void lateSequenceNumberWithinTheWindowIsAcceptedOnce() {
        state.acceptSeq(1000, 0);

        assertThat(state.acceptSeq(990, 0)).isTrue();
        assertThat(state.acceptSeq(990, 0)).isFalse();
        assertThat(state.acceptSeq(991, 0)).isTrue();
        assertThat(state.maxSeq).isEqualTo(1000);
    }

    @Test
    void windowReaches63BelowTheHighestButNot64() {
        state.acceptSeq(1000, 0);

        assertThat(state.acceptSeq(1000 - 63, 0)).isTrue();
        assertThat(state.acceptSeq(1000 - 64, 0)).isFalse();
        assertThat(state.acceptSeq(1000 - 65, 0)).isFalse();
        assertThat(state.acceptSeq(0, 0)).isFalse();
    }

    @Test
    void windowRemembersWhatWasSeenAsItMoves() {
        state.acceptSeq(100, 0);
        state.acceptSeq(98, 0);

        assertThat(state.acceptSeq(110, 0)).isTrue();

        assertThat(state.acceptSeq(100, 0)).isFalse();
        assertThat(state.acceptSeq(98, 0)).isFalse();
        assertThat(state.acceptSeq(99, 0)).isTrue();
        assertThat(state.acceptSeq(105, 0)).isTrue();
        assertThat(state.acceptSeq(105, 0)).isFalse();
    }

    @Test
    void jumpBeyondTheWindowLeavesOnlyTheNewWindow() {
        state.acceptSeq(100, 0);
        state.acceptSeq(99, 0);

        assertThat(state.acceptSeq(1000, 0)).isTrue();

        assertThat(state.acceptSeq(999, 0)).isTrue();
        assertThat(state.acceptSeq(937, 0)).isTrue();
        assertThat(state.acceptSeq(100, 0)).isFalse();
        assertThat(state.acceptSeq(99, 0)).isFalse();
    }

    @Test
    void sequenceNumbersCompareAsUnsigned() {
        state.acceptSeq(Long.MAX_VALUE, 0);

        assertThat(state.acceptSeq(TWO_TO_63, 0)).as("2^63 is above 2^63 - 1").isTrue();
        assertThat(state.maxSeq).isEqualTo(TWO_TO_63);
        assertThat(state.acceptSeq(Long.MAX_VALUE, 0)).as("2^63 - 1 was seen").isFalse();
        assertThat(state.acceptSeq(Long.MAX_VALUE - 1, 0)).as("2^63 - 2 is in the window, unseen").isTrue();
        assertThat(state.acceptSeq(TWO_TO_63 + 10, 0)).isTrue();
        assertThat(state.acceptSeq(-1L, 0)).as("2^64 - 1 is the largest").isTrue();
        assertThat(state.acceptSeq(TWO_TO_63 + 10, 0)).isFalse();
    }

    @Test
    void windowWorksAcrossTheSignBoundary() {
        state.acceptSeq(TWO_TO_63 + 5, 0);

        assertThat(state.acceptSeq(Long.MAX_VALUE - 10, 0)).as("16 below").isTrue();
        assertThat(state.acceptSeq(Long.MAX_VALUE - 58, 0)).as("64 below").isFalse();
        assertThat(state.acceptSeq(Long.MAX_VALUE - 1000, 0)).isFalse();
    }

    /**
     * Distances are unsigned: one of 2^63 or more below the highest must not pass for a small negative one.
     */
    @Test
    void sequenceNumberFarBelowTheHighestIsRefusedEvenBeyond2To63() {
        state.acceptSeq(TWO_TO_63 + 100, 0);

        assertThat(state.acceptSeq(50, 0)).as("2^63 + 50 below the highest").isFalse();
    }

    /**
     * A jump of 2^63 or more clears the window, rather than shifting it by a negative amount (which Java
     * takes modulo 64) and claiming numbers just below the new highest were seen.
     */
    @Test
    void jumpOf2To63OrMoreLeavesNothingSeenBelowTheNewHighest() {
        state.acceptSeq(10, 0);
        long jump = 10 + TWO_TO_63 + 1;

        assertThat(state.acceptSeq(jump, 0)).isTrue();
        assertThat(state.acceptSeq(jump - 1, 0)).as("never sent, 1 below the highest").isTrue();
    }

    @Test
    void restoredHighestAndEverythingBelowItAreReplays() {
        state.restoreSeq(1000);

        assertThat(state.acceptSeq(1000, 0)).isFalse();
        assertThat(state.acceptSeq(999, 0)).isFalse();
        assertThat(state.acceptSeq(937, 0)).isFalse();
        assertThat(state.acceptSeq(936, 0)).isFalse();
        assertThat(state.acceptSeq(1001, 0)).isTrue();
    }

    @Test
    void afterARestoreOnlyNumbersAboveTheOldHighestOpenUp() {
        state.restoreSeq(1000);

        assertThat(state.acceptSeq(1010, 0)).isTrue();

        assertThat(state.acceptSeq(1005, 0)).isTrue();
        assertThat(state.acceptSeq(1005, 0)).isFalse();
        assertThat(state.acceptSeq(1001, 0)).isTrue();
        assertThat(state.acceptSeq(1000, 0)).isFalse();
        assertThat(state.acceptSeq(990, 0)).isFalse();
    }

    @Test
    void rttHistoryIsOldestFirstAndKeepsTheLast32() {
        assertThat(state.rttHistory()).isEmpty();
        assertThat(state.lastRtt()).isEqualTo(-1);

        for (int i = 1; i <= 33; i++) {
            state.addRtt(i);
        }

        assertThat(state.rttHistory()).hasSize(HostState.RTT_HISTORY).startsWith(2, 3).endsWith(32, 33);
        assertThat(state.lastRtt()).isEqualTo(33);
    }

    @Test
    void restoredRttHistoryContinuesWhereItLeftOff() {
        state.restoreRtt(new int[] {10, 20, 30});

        state.addRtt(40);

        assertThat(state.rttHistory()).containsExactly(10, 20, 30, 40);
    }

    @Test
    void commandsAreQueuedWithIncreasingIds() {
        assertThat(state.queueCommand("ping", "").id()).isEqualTo(1);
        assertThat(state.queueCommand("set-interval", "30").id()).isEqualTo(2);

        assertThat(state.pendingCommands(0)).containsExactly(new Command(1, "ping", ""),
                new Command(2, "set-interval", "30"));
    }

    @Test
    void commandsReportedDoneAreDropped() {
        state.queueCommand("ping", "");
        state.queueCommand("ping", "");
        state.queueCommand("ping", "");

        assertThat(state.pendingCommands(2)).extracting(Command::id).containsExactly(3L);
        assertThat(state.pendingCommands(3)).isEmpty();
        assertThat(state.pendingCommands(0)).isEmpty();
        assertThat(state.queueCommand("ping", "").id()).isEqualTo(4);
    }

    @Test
    void pendingCommandsIsACopy() {
        state.queueCommand("ping", "");
        List<Command> first = state.pendingCommands(0);

        state.queueCommand("ping", "");

        assertThat(first).hasSize(1);
        assertThat(state.pendingCommands(0)).hasSize(2);
    }

    @Test
    void clientAheadOfTheServerGetsQueuedCommandsRenumberedAboveWhatItExecuted() {
        state.queueCommand("set-interval", "30");
        state.queueCommand("ping", "");

        List<Command> pending = state.pendingCommands(10);

        assertThat(pending).containsExactly(new Command(11, "set-interval", "30"), new Command(12, "ping", ""));
        assertThat(state.nextCommandId).isEqualTo(13);
        assertThat(state.commandsDone).isEqualTo(10);
        assertThat(state.queueCommand("ping", "").id()).isEqualTo(13);
        assertThat(state.pendingCommands(11)).extracting(Command::id).containsExactly(12L, 13L);
    }

    @Test
    void clientReportingExactlyTheLastIssuedIdIsNotRenumbered() {
        state.queueCommand("ping", "");
        state.queueCommand("ping", "");

        assertThat(state.pendingCommands(1)).extracting(Command::id).containsExactly(2L);
        assertThat(state.nextCommandId).isEqualTo(3);
    }

    @Test
    void theReplayWindowReachesSixtyThreeBelowTheHighest() {
        assertThat(state.acceptSeq(1000, 0)).isTrue();
        assertThat(state.acceptSeq(1000 - 63, 0)).as("63 below, unseen").isTrue();
        assertThat(state.acceptSeq(1000 - 64, 0)).as("64 below is outside the window").isFalse();
    }
}
