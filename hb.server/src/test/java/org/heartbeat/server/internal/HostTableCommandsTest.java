package org.heartbeat.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.heartbeat.protocol.Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands queued for hosts and handed out with the answers to their heartbeats. */
class HostTableCommandsTest {
    private HostTableFixture f;

    @BeforeEach
    void startTable() {
        f = new HostTableFixture(new HostTable.Settings(60_000, 30_000, 1000, 0));
        f.beat("web1");
    }

    @AfterEach
    void closeTable() {
        f.close();
    }

    private HostTable.Outcome reportDone(long commandsDone) {
        return f.beat(f.heartbeatReportingDone("web1", f.nextSeq(), commandsDone));
    }

    @Test
    void commandForAnUnknownHostIsRefused() {
        assertThat(f.table.queueCommand("nobody", "ping", "")).isEqualTo(-1);
        assertThat(f.table.snapshot("nobody")).isEmpty();
    }

    @Test
    void commandIdsIncreaseFromOne() {
        assertThat(f.table.queueCommand("web1", "ping", "")).isEqualTo(1);
        assertThat(f.table.queueCommand("web1", "set-interval", "30")).isEqualTo(2);
        assertThat(f.table.queueCommand("web1", "ping", "")).isEqualTo(3);
        assertThat(f.host("web1").nextCommandId()).isEqualTo(4);
    }

    @Test
    void commandIdsArePerHost() {
        f.beat("web2");
        f.table.queueCommand("web1", "ping", "");
        f.table.queueCommand("web1", "ping", "");

        assertThat(f.table.queueCommand("web2", "ping", "")).isEqualTo(1);
    }

    @Test
    void pendingCommandsComeBackUntilReportedDone() {
        f.table.queueCommand("web1", "ping", "");
        f.table.queueCommand("web1", "set-interval", "30");
        f.table.queueCommand("web1", "ping", "");

        assertThat(reportDone(0).commands()).containsExactly(new Command(1, "ping", ""),
                new Command(2, "set-interval", "30"), new Command(3, "ping", ""));
        assertThat(reportDone(0).commands()).extracting(Command::id).containsExactly(1L, 2L, 3L);
        assertThat(reportDone(2).commands()).containsExactly(new Command(3, "ping", ""));
        assertThat(f.host("web1").pendingCommands()).containsExactly(new Command(3, "ping", ""));
        assertThat(f.host("web1").commandsDone()).isEqualTo(2);

        HostTable.Outcome allDone = reportDone(3);

        assertThat(allDone.verdict()).isEqualTo(HostTable.Verdict.ACCEPTED);
        assertThat(allDone.commands()).isEmpty();
        assertThat(f.host("web1").pendingCommands()).isEmpty();
    }

    @Test
    void olderDoneReportDoesNotBringCommandsBack() {
        f.table.queueCommand("web1", "ping", "");
        f.table.queueCommand("web1", "ping", "");
        reportDone(1);

        assertThat(reportDone(0).commands()).extracting(Command::id).containsExactly(2L);
        assertThat(f.host("web1").commandsDone()).isEqualTo(1);
    }

    @Test
    void commandQueuedAfterOthersWereDoneGetsTheNextId() {
        f.table.queueCommand("web1", "ping", "");
        reportDone(1);

        assertThat(f.table.queueCommand("web1", "ping", "")).isEqualTo(2);
        assertThat(reportDone(1).commands()).extracting(Command::id).containsExactly(2L);
    }

    @Test
    void clientThatExecutedIdsTheServerNeverIssuedGetsHigherIds() {
        f.table.queueCommand("web1", "set-interval", "30");

        List<Command> pending = reportDone(41).commands();

        assertThat(pending).containsExactly(new Command(42, "set-interval", "30"));
        assertThat(f.host("web1").nextCommandId()).isEqualTo(43);
        assertThat(f.table.queueCommand("web1", "ping", "")).isEqualTo(43);
        assertThat(reportDone(42).commands()).containsExactly(new Command(43, "ping", ""));
    }

    @Test
    void clientAheadOfTheServerWithNothingQueuedMovesTheNextId() {
        reportDone(7);

        assertThat(f.table.queueCommand("web1", "ping", "")).isEqualTo(8);
    }

    @Test
    void heartbeatWithoutPendingCommandsGetsNone() {
        HostTable.Outcome outcome = reportDone(0);

        assertThat(outcome.verdict()).isEqualTo(HostTable.Verdict.ACCEPTED);
        assertThat(outcome.commands()).isEmpty();
    }
}
