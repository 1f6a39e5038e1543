package org.heartbeat.server.outbox.internal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.heartbeat.api.notify.Notification;
import org.heartbeat.server.api.notify.OutboxEntry;
import org.heartbeat.server.api.notify.OutboxEntry.State;

/**
 * An outbox entry as the {@link Ledger} keeps it in memory and in the store. Immutable; changes make new ones.
 *
 * @param seq its number, unique in its store and never reused; entries of a channel are sent in this order
 * @param channel the channel's name
 * @param notification what to send
 * @param state where it stands
 * @param attempts tries so far (since its last retry by hand)
 * @param created when it was queued
 * @param since when its current run of tries began: its creation, or its last retry by hand; it fails for good
 *        when a try fails {@code give_up_after} after this
 * @param next when it is due, while pending
 * @param done when it was delivered, failed for good or summarised; null while pending
 * @param detail what its last try said, or why it was held back
 * @param heldIn the seq of the summary it was folded into; 0 when none
 * @param summary whether the outbox made it to summarise what a send limit held back
 */
record StoredEntry(long seq, String channel, Notification notification, State state, int attempts, Instant created,
        Instant since, Instant next, Instant done, String detail, long heldIn, boolean summary) implements OutboxEntry {

    StoredEntry {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(since, "since");
        detail = detail == null ? "" : detail;
    }

    /** A new pending entry, due at once. */
    static StoredEntry queued(long seq, String channel, Notification notification, Instant now, boolean summary) {
        return new StoredEntry(seq, channel, notification, State.PENDING, 0, now, now, now, null, "", 0, summary);
    }

    @Override
    public String id() {
        return Long.toString(seq);
    }

    @Override
    public Optional<Instant> nextAttempt() {
        return state == State.PENDING ? Optional.ofNullable(next) : Optional.empty();
    }

    @Override
    public Optional<Instant> finished() {
        return Optional.ofNullable(done);
    }

    boolean pending() {
        return state == State.PENDING;
    }

    /** One more try that ended it: delivered or failed for good. */
    StoredEntry finish(State end, Instant now, String why) {
        return new StoredEntry(seq, channel, notification, end, attempts + 1, created, since, null, now, why, heldIn,
                summary);
    }

    /** One more try that failed for now; due again at {@code at}. */
    StoredEntry retryAt(Instant at, String why) {
        return new StoredEntry(seq, channel, notification, State.PENDING, attempts + 1, created, since, at, null, why,
                heldIn, summary);
    }

    /** Ended without a try: failed for good ({@code end}) for a reason of the outbox's own. */
    StoredEntry end(State end, Instant now, String why) {
        return new StoredEntry(seq, channel, notification, end, attempts, created, since, null, now, why, heldIn,
                summary);
    }

    /** Held back by the send limit and folded into the summary {@code into}. */
    StoredEntry heldIn(long into, Instant now, String why) {
        return new StoredEntry(seq, channel, notification, State.SUMMARISED, attempts, created, since, null, now, why,
                into, summary);
    }

    /** Pending again, its tries and its give-up time starting anew. */
    StoredEntry revived(Instant now) {
        return new StoredEntry(seq, channel, notification, State.PENDING, 0, created, now, now, null,
                "retry requested (before: " + detail + ")", 0, summary);
    }

    /** The same entry with another notification (a summary that grew). */
    StoredEntry withNotification(Notification n) {
        return new StoredEntry(seq, channel, n, state, attempts, created, since, next, done, detail, heldIn, summary);
    }

    @Override
    public String toString() {
        return "OutboxEntry[" + seq + ", " + channel + ", " + state + ", " + attempts + " tries, " + notification
                + "]";
    }
}
