package org.heartbeat.server.internal.host;

import org.heartbeat.server.api.HostStatus;
import java.util.ArrayList;
import java.util.List;

import org.heartbeat.protocol.Command;

/** Builds {@link HostSnapshot}s as a state file would hold them; everything not set is empty. */
final class SnapshotBuilder {
    private final String name;
    private HostStatus status = HostStatus.UP;
    private boolean configured;
    private long firstSeenMillis;
    private long lastSeenMillis;
    private long intervalMillis;
    private long graceMillis;
    private long announcedIntervalMillis;
    private long overdueSinceMillis;
    private int[] rttHistoryMicros = {};
    private String address;
    private int port;
    private long bootTimeMillis;
    private long lastBootMillis;
    private long lastSeq;
    private long maxSeq;
    private long heartbeats;
    private boolean authenticated;
    private String conflict;
    private final List<Command> pendingCommands = new ArrayList<>();
    private long nextCommandId = 1;
    private long commandsDone;

    private SnapshotBuilder(String name) {
        this.name = name;
    }

    static SnapshotBuilder host(String name) {
        return new SnapshotBuilder(name);
    }

    SnapshotBuilder status(HostStatus value) {
        this.status = value;
        return this;
    }

    SnapshotBuilder configured(boolean value) {
        this.configured = value;
        return this;
    }

    SnapshotBuilder firstSeen(long millis) {
        this.firstSeenMillis = millis;
        return this;
    }

    SnapshotBuilder lastSeen(long millis) {
        this.lastSeenMillis = millis;
        return this;
    }

    SnapshotBuilder interval(long millis) {
        this.intervalMillis = millis;
        return this;
    }

    SnapshotBuilder grace(long millis) {
        this.graceMillis = millis;
        return this;
    }

    SnapshotBuilder announcedInterval(long millis) {
        this.announcedIntervalMillis = millis;
        return this;
    }

    SnapshotBuilder overdueSince(long millis) {
        this.overdueSinceMillis = millis;
        return this;
    }

    SnapshotBuilder rtt(int... micros) {
        this.rttHistoryMicros = micros.clone();
        return this;
    }

    SnapshotBuilder address(String ip, int sourcePort) {
        this.address = ip;
        this.port = sourcePort;
        return this;
    }

    SnapshotBuilder bootTime(long millis) {
        this.bootTimeMillis = millis;
        return this;
    }

    SnapshotBuilder lastBoot(long millis) {
        this.lastBootMillis = millis;
        return this;
    }

    SnapshotBuilder lastSeq(long seq) {
        this.lastSeq = seq;
        return this;
    }

    SnapshotBuilder maxSeq(long seq) {
        this.maxSeq = seq;
        return this;
    }

    SnapshotBuilder heartbeats(long count) {
        this.heartbeats = count;
        return this;
    }

    SnapshotBuilder authenticated(boolean value) {
        this.authenticated = value;
        return this;
    }

    SnapshotBuilder conflict(String description) {
        this.conflict = description;
        return this;
    }

    SnapshotBuilder command(long id, String command, String argument) {
        this.pendingCommands.add(new Command(id, command, argument));
        return this;
    }

    SnapshotBuilder nextCommandId(long id) {
        this.nextCommandId = id;
        return this;
    }

    SnapshotBuilder commandsDone(long id) {
        this.commandsDone = id;
        return this;
    }

    HostSnapshot build() {
        return new HostSnapshot(name, status, configured, firstSeenMillis, lastSeenMillis, intervalMillis,
                graceMillis, announcedIntervalMillis, overdueSinceMillis, rttHistoryMicros.clone(), address, port,
                bootTimeMillis, lastBootMillis, lastSeq, maxSeq, heartbeats, authenticated, conflict,
                List.copyOf(pendingCommands), nextCommandId, commandsDone);
    }
}
