package org.heartbeat.server.internal;

import java.util.List;

import org.heartbeat.protocol.Command;

/**
 * An immutable copy of a host's state, for the API and the state file.
 *
 * @param name host name
 * @param status up, overdue or unknown
 * @param configured whether the host is in the configuration's {@code hosts:}
 * @param firstSeenMillis first heartbeat ever, wall clock
 * @param lastSeenMillis last heartbeat, wall clock; 0 for a configured host never heard from
 * @param intervalMillis the interval in force
 * @param graceMillis the grace in force
 * @param announcedIntervalMillis what the client announces, 0 when nothing
 * @param overdueSinceMillis when it became overdue (last heartbeat + interval + grace), 0 when not overdue
 * @param rttHistoryMicros RTTs reported by the client, oldest first
 * @param address the source IP of the last heartbeat, or null
 * @param port the source port of the last heartbeat
 * @param bootTimeMillis when the host booted by its own clock, from its last boot message; 0 when unknown
 * @param lastBootMillis when the server received its last boot message; 0 when none
 * @param lastSeq the sequence number of the last datagram
 * @param maxSeq the highest sequence number accepted from an authenticated host (replay protection)
 * @param heartbeats heartbeats received
 * @param authenticated whether its last heartbeat was signed with its configured key
 * @param conflict a description of a suspected name conflict, or null
 * @param pendingCommands commands queued for it
 * @param nextCommandId the id the next command will get
 * @param commandsDone the highest command id the client reported executed
 */
public record HostSnapshot(
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

    /** The last RTT, µs, or -1 when none. */
    public long rttMicros() {
        return rttHistoryMicros.length == 0 ? -1 : rttHistoryMicros[rttHistoryMicros.length - 1];
    }
}
