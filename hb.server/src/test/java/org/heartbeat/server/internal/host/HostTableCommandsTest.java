package org.heartbeat.server.internal.host;

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
        f = new HostTableFixture(new HostTable.Settings(60_000, 30_000, 1000, 0, 86_400_000L));
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
        assertThat(queue("nobody", "ping", "")).isEqualTo(-1);
        assertThat(HostSnapshot.of(f.table, "nobody")).isEmpty();
    }

    @Test
    void commandIdsIncreaseFromOne() {
        assertThat(queue("web1", "ping", "")).isEqualTo(1);
        assertThat(queue("web1", "set-interval", "30")).isEqualTo(2);
        assertThat(queue("web1", "ping", "")).isEqualTo(3);
        assertThat(f.host("web1").nextCommandId()).isEqualTo(4);
    }

    @Test
    void commandIdsArePerHost() {
        f.beat("web2");
        queue("web1", "ping", "");
        queue("web1", "ping", "");

        assertThat(queue("web2", "ping", "")).isEqualTo(1);
    }

    @Test
    void pendingCommandsComeBackUntilReportedDone() {
        queue("web1", "ping", "");
        queue("web1", "set-interval", "30");
        queue("web1", "ping", "");

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
        queue("web1", "ping", "");
        queue("web1", "ping", "");
        reportDone(1);

        assertThat(reportDone(0).commands()).extracting(Command::id).containsExactly(2L);
        assertThat(f.host("web1").commandsDone()).isEqualTo(1);
    }

    @Test
    void commandQueuedAfterOthersWereDoneGetsTheNextId() {
        queue("web1", "ping", "");
        reportDone(1);

        assertThat(queue("web1", "ping", "")).isEqualTo(2);
        assertThat(reportDone(1).commands()).extracting(Command::id).containsExactly(2L);
    }

    @Test
    void clientThatExecutedIdsTheServerNeverIssuedGetsHigherIds() {
        queue("web1", "set-interval", "30");

        List<Command> pending = reportDone(41).commands();

        assertThat(pending).containsExactly(new Command(42, "set-interval", "30"));
        assertThat(f.host("web1").nextCommandId()).isEqualTo(43);
        assertThat(queue("web1", "ping", "")).isEqualTo(43);
        assertThat(reportDone(42).commands()).containsExactly(new Command(43, "ping", ""));
    }

    @Test
    void clientAheadOfTheServerWithNothingQueuedMovesTheNextId() {
        reportDone(7);

        assertThat(queue("web1", "ping", "")).isEqualTo(8);
    }

    @Test
    void heartbeatWithoutPendingCommandsGetsNone() {
        HostTable.Outcome outcome = reportDone(0);

        assertThat(outcome.verdict()).isEqualTo(HostTable.Verdict.ACCEPTED);
        assertThat(outcome.commands()).isEmpty();
    }

    /** Queues a command; its id, or -1 when the host is unknown. */
    private long queue(String host, String name, String argument) {
        return f.table.queueCommand(host, name, argument).map(org.heartbeat.protocol.Command::id).orElse(-1L);
    }
}
