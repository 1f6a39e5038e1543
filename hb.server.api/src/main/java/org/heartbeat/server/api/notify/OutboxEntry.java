package org.heartbeat.server.api.notify;

import java.time.Instant;
import java.util.Optional;

import org.heartbeat.api.notify.Notification;
import org.osgi.annotation.versioning.ProviderType;

/** One notification for one channel, and how its delivery goes. Immutable. */
@ProviderType
public interface OutboxEntry {
    /** Where an entry stands. */
    enum State {
        /** Waiting for its first or next try (or for its channel, or for the send limit). */
        PENDING,
        /** The channel's service accepted it. */
        DELIVERED,
        /** Failed for good: the service refused it, or it kept failing past {@code outbox.give_up_after}. */
        FAILED,
        /** Held back by the channel's send limit and folded into a summary (which is an entry of its own). */
        SUMMARISED
    }

    String id();

    /** The channel's name. */
    String channel();

    Notification notification();

    State state();

    /** How many tries so far. */
    int attempts();

    /** When it was queued. */
    Instant created();

    /** When it is tried next, while pending. */
    Optional<Instant> nextAttempt();

    /** When it was delivered or failed for good. */
    Optional<Instant> finished();

    /** What the last try said (no secrets); empty before the first. */
    String detail();
}
