package org.heartbeat.server.api.notify;

import java.util.List;
import java.util.Optional;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Notification;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Notifications on their way to channels. A service of the outbox bundle; safe from any thread.
 *
 * <ul>
 * <li>{@link #enqueue(String, Notification)} returns once the entry is on disk: from then on it is delivered at
 * least once, whatever happens to {@code hbd}, and never twice unless {@code hbd} dies between a send and its
 * record.</li>
 * <li>Each channel sends on a thread of its own, one notification at a time, oldest first. A try that ends in
 * {@link Delivery.Outcome#RETRY} is tried again after an exponential backoff with jitter (or the service's
 * {@code Retry-After}); {@link Delivery.Outcome#FAILED} ends the entry, recorded and logged. An entry for a
 * channel whose bundle is not installed waits for it.</li>
 * <li>What a channel's send limit ({@code max_per_hour}) holds back is sent as one summary when the limit allows.</li>
 * </ul>
 */
@ProviderType
public interface Outbox {
    /**
     * Queues a notification for one channel.
     *
     * @param channel a name of {@code notification_channels:}
     * @param notification what to send
     * @return the entry, stored
     * @throws IllegalArgumentException when no channel of that name is configured
     */
    OutboxEntry enqueue(String channel, Notification notification);

    /**
     * Entries, newest first.
     *
     * @param state only entries in this state; null for all
     * @param limit at most this many
     */
    List<OutboxEntry> entries(OutboxEntry.State state, int limit);

    /** One entry by id. */
    Optional<OutboxEntry> entry(String id);

    /**
     * Sends a failed entry again (it becomes pending, its attempts start anew); false when there is no failed
     * entry with that id.
     */
    boolean retry(String id);

    /** The configured channels, by name, with how their deliveries go. */
    List<ChannelStatus> channels();

    /**
     * Sends one notification through one channel now, once, outside the queue and its limit, and waits for the
     * outcome (at most the channel's timeout): for {@code hbd notify}. Nothing is stored or retried.
     *
     * @return the outcome; {@link Delivery.Outcome#FAILED} with a reason when the channel is not configured or its
     *         bundle is not installed
     */
    Delivery test(String channel, Notification notification) throws InterruptedException;
}
