package org.heartbeat.server.internal.host;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.heartbeat.protocol.Command;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.PendingCommand;

/**
 * A host as the tests look at it: every saved field flat, times in milliseconds (0 for none), as the state file keeps
 * them. Converts from and to the {@link SavedHost} the table works with.
 */
record HostSnapshot(
        String name,
        HostStatus status,
        boolean configured,
        long firstSeenMillis,
        long lastSeenMillis,
        long intervalMillis,
        long graceMillis,
        long announcedIntervalMillis,
        long overdueSinceMillis,
        int[] rttHistoryMicros,
        String address,
        int port,
        long bootTimeMillis,
        long lastBootMillis,
        long lastSeq,
        long maxSeq,
        long heartbeats,
        boolean authenticated,
        String conflict,
        List<Command> pendingCommands,
        long nextCommandId,
        long commandsDone) {

    long rttMicros() {
        return rttHistoryMicros.length == 0 ? -1 : rttHistoryMicros[rttHistoryMicros.length - 1];
    }

    static HostSnapshot of(SavedHost s) {
        HostView v = s.view();
        return new HostSnapshot(v.name(), v.status(), v.configured(), millis(v.firstSeen()), millis(v.lastSeen()),
                v.interval().toMillis(), v.grace().toMillis(), v.announcedInterval().map(Duration::toMillis).orElse(0L),
                millis(v.overdueSince()), v.rttHistory().stream().mapToInt(d -> (int) (d.toNanos() / 1000)).toArray(),
                v.address().map(a -> org.heartbeat.server.api.Addresses.ip(a.getAddress())).orElse(null),
                v.address().map(InetSocketAddress::getPort).orElse(0), millis(v.bootTime()), millis(v.lastBoot()),
                s.lastSeq(), s.maxSeq(), v.heartbeats(), v.authenticated(), v.conflict().orElse(null),
                v.pendingCommands().stream().map(c -> new Command(c.id(), c.name(), c.argument())).toList(),
                s.nextCommandId(), s.commandsDone());
    }

    SavedHost toSaved() {
        HostView v = HostView.builder(name).status(status).configured(configured).firstSeen(instant(firstSeenMillis))
                .lastSeen(instant(lastSeenMillis)).interval(Duration.ofMillis(intervalMillis))
                .grace(Duration.ofMillis(graceMillis))
                .announcedInterval(announcedIntervalMillis > 0 ? Duration.ofMillis(announcedIntervalMillis) : null)
                .overdueSince(instant(overdueSinceMillis))
                .rttHistory(java.util.Arrays.stream(rttHistoryMicros).mapToObj(us -> Duration.ofNanos(us * 1000L))
                        .toList())
                .address(address == null ? null : new InetSocketAddress(InetAddressParser.parse(address), port))
                .bootTime(instant(bootTimeMillis)).lastBoot(instant(lastBootMillis)).heartbeats(heartbeats)
                .authenticated(authenticated).conflict(conflict)
                .pendingCommands(pendingCommands.stream().map(c -> new PendingCommand(c.id(), c.name(), c.argument()))
                        .toList())
                .build();
        return new SavedHost(v, lastSeq, maxSeq, nextCommandId, commandsDone);
    }

    static List<HostSnapshot> all(HostTable table) {
        return table.saved().stream().map(HostSnapshot::of).toList();
    }

    static Optional<HostSnapshot> of(HostTable table, String name) {
        return table.saved().stream().filter(s -> s.name().equals(name)).findFirst().map(HostSnapshot::of);
    }

    static List<SavedHost> saved(List<HostSnapshot> hosts) {
        return hosts.stream().map(HostSnapshot::toSaved).toList();
    }

    private static long millis(Optional<Instant> t) {
        return t.map(Instant::toEpochMilli).orElse(0L);
    }

    private static Instant instant(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }
}
