package org.heartbeat.protocol;

/**
 * A heartbeat (type 1) or, when {@link #boot()} is true, a boot message (type 2), which also counts as a
 * heartbeat.
 *
 * @param host the host name
 * @param seq the sender's sequence number (unsigned 64 bits; strictly increasing, see docs/PROTOCOL.md)
 * @param timeMillis the sender's clock, milliseconds since the Unix epoch
 * @param intervalMillis the client's heartbeat interval in milliseconds; 0 when not announced
 * @param rttMicros the last round trip the client measured, microseconds; -1 when none yet
 * @param commandsDone the highest command id the client has executed; 0 when none
 * @param boot whether this is a boot message
 * @param bootTimeMillis for a boot message, when the host booted by its own clock; 0 when unknown
 */
public record Heartbeat(
        String host,
        long seq,
        long timeMillis,
        long intervalMillis,
        long rttMicros,
        long commandsDone,
        boolean boot,
        long bootTimeMillis) implements ClientMessage {

    public Heartbeat {
        HostNames.check(host);
        Checks.u32("intervalMillis", intervalMillis);
        if (rttMicros != -1) {
            Checks.u32("rttMicros", rttMicros);
            if (rttMicros == Protocol.NO_RTT) {
                throw new IllegalArgumentException("rttMicros " + rttMicros + " is reserved for 'none'; use -1");
            }
        }
        Checks.u32("commandsDone", commandsDone);
        if (!boot && bootTimeMillis != 0) {
            throw new IllegalArgumentException("bootTimeMillis is only carried by boot messages");
        }
    }

    /** A plain heartbeat with no RTT measured and no command executed yet. */
    public static Heartbeat of(String host, long seq, long timeMillis, long intervalMillis) {
        return new Heartbeat(host, seq, timeMillis, intervalMillis, -1, 0, false, 0);
    }

    @Override
    public MessageType type() {
        return boot ? MessageType.BOOT : MessageType.HEARTBEAT;
    }

    /** Whether the client reported a round-trip time. */
    public boolean hasRtt() {
        return rttMicros >= 0;
    }
}
