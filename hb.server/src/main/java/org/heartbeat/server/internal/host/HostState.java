package org.heartbeat.server.internal.host;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.heartbeat.protocol.Command;
import org.heartbeat.server.api.HostStatus;

/**
 * Everything the server keeps about one host. Guarded by its own monitor: the receiver thread, the
 * deadline timer and readers each lock it briefly. Kept small, because a server tracks many thousands.
 */
final class HostState {
    static final int RTT_HISTORY = 32;
    /**
     * Late datagrams are accepted while fewer than this many below the highest accepted sequence number (at most
     * 63 below), if not seen before: the window of docs/PROTOCOL.md, section 8.3.
     */
    static final int REPLAY_WINDOW = 64;
    /** Sentinel: not queued in the deadline timer. */
    static final long NOT_SCHEDULED = Long.MAX_VALUE;

    final String name;

    long firstSeenMillis;
    long lastSeenMillis;
    long lastSeenNanos;
    long clientTimeMillis;
    long lastSeq;
    long heartbeats;
    /** The interval the client announces, ms; 0 when it does not. */
    long announcedIntervalMillis;
    /** Interval and grace in force for the current deadline, ms. */
    long intervalMillis;
    long graceMillis;
    long deadlineNanos;
    long scheduledNanos = NOT_SCHEDULED;
    HostStatus status = HostStatus.UP;
    long overdueSinceMillis;
    long bootTimeMillis;
    long lastBootMillis;
    InetSocketAddress address;
    boolean authenticated;
    boolean forgotten;

    private final int[] rttMicros = new int[RTT_HISTORY];
    private int rttCount;
    private int rttNext;

    long maxSeq;
    long seqSeen;
    boolean anySeq;
    /**
     * After an unclean stop of the server, the highest accepted sequence number may not have been saved: until
     * a datagram sent after the restart is accepted, signed datagrams must carry a time at or after this (wall
     * clock, ms); 0 when no such rule applies.
     */
    long sentNotBeforeMillis;

    ArrayDeque<Command> commands;
    long nextCommandId = 1;
    long commandsDone;

    long conflictWindowStartMillis;
    int conflictEvidence;
    long conflictReportedMillis;
    String conflict;

    HostState(String name) {
        this.name = name;
    }

    void addRtt(long micros) {
        rttMicros[rttNext] = (int) Math.min(Integer.MAX_VALUE, micros);
        rttNext = (rttNext + 1) % RTT_HISTORY;
        rttCount = Math.min(rttCount + 1, RTT_HISTORY);
    }

    /** The last RTT, µs, or -1. */
    long lastRtt() {
        return rttCount == 0 ? -1 : rttMicros[(rttNext + RTT_HISTORY - 1) % RTT_HISTORY];
    }

    /** RTT history, oldest first, µs. */
    int[] rttHistory() {
        int[] out = new int[rttCount];
        for (int i = 0; i < rttCount; i++) {
            out[i] = rttMicros[(rttNext - rttCount + i + RTT_HISTORY) % RTT_HISTORY];
        }
        return out;
    }

    void restoreRtt(int[] history) {
        for (int micros : history) {
            addRtt(micros);
        }
    }

    /**
     * Whether an authenticated datagram with this sequence number, sent at {@code sentMillis} by the client's
     * clock, is new: above the highest seen, or fewer than {@value #REPLAY_WINDOW} below it and not seen before.
     * Records it when it is. Sequence numbers are unsigned 64-bit values and compared as such. After an unclean
     * restart ({@link #sentNotBeforeMillis}) only a datagram sent after the restart is new; once one is
     * accepted, every lower number counts as seen, since some of them may have been accepted before the stop
     * without being saved.
     */
    boolean acceptSeq(long seq, long sentMillis) {
        if (sentNotBeforeMillis != 0) {
            if (sentMillis < sentNotBeforeMillis || anySeq && Long.compareUnsigned(seq, maxSeq) <= 0) {
                return false;
            }
            sentNotBeforeMillis = 0;
            restoreSeq(seq);
            return true;
        }
        if (!anySeq) {
            anySeq = true;
            maxSeq = seq;
            seqSeen = 1;
            return true;
        }
        int cmp = Long.compareUnsigned(seq, maxSeq);
        if (cmp > 0) {
            long shift = seq - maxSeq;
            seqSeen = Long.compareUnsigned(shift, REPLAY_WINDOW) >= 0 ? 1 : (seqSeen << shift) | 1;
            maxSeq = seq;
            return true;
        }
        long behind = maxSeq - seq;
        if (Long.compareUnsigned(behind, REPLAY_WINDOW) >= 0) {
            return false;
        }
        long bit = 1L << behind;
        if ((seqSeen & bit) != 0) {
            return false;
        }
        seqSeen |= bit;
        return true;
    }

    /** After a restart only sequence numbers above the highest accepted are new. */
    void restoreSeq(long highest) {
        anySeq = true;
        maxSeq = highest;
        seqSeen = -1L;
    }

    /** Puts back commands saved before a restart, with their ids, and the id the next command gets. */
    void restoreCommands(List<Command> saved, long nextId) {
        commands = saved.isEmpty() ? null : new ArrayDeque<>(saved);
        long afterLast = saved.isEmpty() ? 1 : saved.get(saved.size() - 1).id() + 1;
        nextCommandId = Math.max(Math.max(nextId, afterLast), 1);
    }

    Command queueCommand(String command, String argument) {
        if (commands == null) {
            commands = new ArrayDeque<>(2);
        }
        Command c = new Command(nextCommandId++, command, argument);
        commands.add(c);
        return c;
    }

    private void renumberAfter(long done) {
        nextCommandId = done + 1;
        if (commands != null) {
            ArrayDeque<Command> renumbered = new ArrayDeque<>(commands.size());
            for (Command c : commands) {
                renumbered.add(new Command(nextCommandId++, c.name(), c.argument()));
            }
            commands = renumbered;
        }
    }

    /** Drops the commands the client reports done and returns those still pending, oldest first. */
    List<Command> pendingCommands(long done) {
        if (Long.compareUnsigned(done, commandsDone) > 0) {
            commandsDone = done;
        }
        if (commandsDone >= nextCommandId) {
            // The client has executed ids this server never issued: the server lost its state. Whatever is
            // queued now is newer than all of those, so it gets ids above them.
            renumberAfter(commandsDone);
        }
        if (commands == null) {
            return List.of();
        }
        while (!commands.isEmpty() && commands.peekFirst().id() <= commandsDone) {
            commands.pollFirst();
        }
        if (commands.isEmpty()) {
            commands = null;
            return List.of();
        }
        return new ArrayList<>(commands);
    }
}
