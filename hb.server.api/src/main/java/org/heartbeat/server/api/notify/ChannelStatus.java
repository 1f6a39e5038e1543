package org.heartbeat.server.api.notify;

import java.time.Instant;
import java.util.Optional;

/**
 * A configured channel and how its deliveries go.
 *
 * @param name its name under {@code notification_channels:}
 * @param type its {@code type:}
 * @param available whether a bundle provides the type and the channel is active
 * @param pending entries waiting
 * @param consecutiveFailures tries that failed since the last delivery (0 when the last one succeeded)
 * @param lastDelivered when it last delivered
 * @param lastProblem what its last failed try said (no secrets); empty when none since the last delivery
 * @param maxPerHour its send limit; 0 for none
 */
public record ChannelStatus(String name, String type, boolean available, int pending, int consecutiveFailures,
        Optional<Instant> lastDelivered, String lastProblem, int maxPerHour) {

    /** Failing: its last tries failed, or it cannot send at all. */
    public boolean failing() {
        return !available || consecutiveFailures > 0;
    }
}
