package org.heartbeat.server.outbox.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.Severity;
import org.heartbeat.server.api.notify.OutboxEntry.State;
import org.heartbeat.server.outbox.internal.EntryCodec.ChannelRecord;
import org.osgi.service.log.Logger;

/**
 * The outbox's book: every entry and every channel's record, in memory and in the {@link OutboxStore}, and the
 * rules of what a channel sends next. It has no threads and no clock: the {@link ChannelQueue}s ask it what to send
 * ({@link #next}) and tell it how that went ({@link #record}), passing the time. Every change is committed to the
 * store before the method returns, so a process killed at any moment finds each entry as its last completed step
 * left it. Safe from any thread (one lock, held for a commit at most).
 *
 * <p>The rules (docs/design/outbox.md): a channel's entries go oldest first, one at a time; the oldest pending entry
 * (the head) that waits for its next try holds back the ones behind it, so that a channel never reorders "overdue"
 * and "recovered". With a send limit of {@code max} per hour, counted over the deliveries of the last hour: when the
 * limit is reached, every pending entry is folded into one summary (a new entry, sent when the hour has room); when
 * one delivery is left and more than one entry waits, they are folded into a summary that takes that last place.
 *
 * <p>When a write to the file fails the book goes on in memory, logs it once and reports it as {@link #problem()}.
 */
final class Ledger {
    static final Duration HOUR = Duration.ofHours(1);
    /** How many titles of held-back notifications a summary lists. */
    static final int SUMMARY_TITLES = 5;

    /** What a channel does next: send an entry, or wait until a time (or until woken, when null). */
    record Decision(StoredEntry send, Instant wakeAt) {
        static final Decision IDLE = new Decision(null, null);
    }

    /** How many entries are in each state, and pending per channel; a snapshot, read without the lock. */
    record Counts(Map<State, Integer> byState, Map<String, Integer> pendingByChannel) {
        int of(State s) {
            return byState.getOrDefault(s, 0);
        }

        int pending(String channel) {
            return pendingByChannel.getOrDefault(channel, 0);
        }
    }

    private final OutboxStore store;
    private final Backoff backoff;
    private final Logger log;
    private final TreeMap<Long, StoredEntry> entries = new TreeMap<>();
    /** Read without the lock (for the status), written under it. */
    private final Map<String, ChannelRecord> channels = new ConcurrentHashMap<>();
    /** The entry each channel is sending now, by channel. */
    private final Map<String, Long> inFlight = new HashMap<>();
    private final int unreadable;
    private long nextSeq;
    private volatile Counts counts;
    private volatile String problem;

    Ledger(OutboxStore store, Backoff backoff, Logger log) {
        this.store = store;
        this.backoff = backoff;
        this.log = log;
        int bad = 0;
        for (Map.Entry<Long, byte[]> raw : store.entries().entrySet()) {
            try {
                entries.put(raw.getKey(), EntryCodec.decode(raw.getValue()));
            } catch (IOException | RuntimeException e) {
                bad++;
                log.warn("outbox entry {} in {} is unreadable and left as it is: {}", raw.getKey(), store.file(),
                        e.toString());
            }
        }
        this.unreadable = bad;
        for (Map.Entry<String, byte[]> raw : store.channels().entrySet()) {
            try {
                channels.put(raw.getKey(), EntryCodec.decodeChannel(raw.getValue()));
            } catch (IOException | RuntimeException e) {
                log.warn("the record of channel {} in the outbox is unreadable and starts anew: {}", raw.getKey(),
                        e.toString());
            }
        }
        long last = store.entries().keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        this.nextSeq = Math.max(store.nextSeq(), last + 1);
        refresh();
    }

    /** Queues a notification; it is committed to the store when this returns. */
    synchronized StoredEntry enqueue(String channel, Notification notification, Instant now) {
        StoredEntry e = StoredEntry.queued(nextSeq++, channel, notification, now, false);
        keep(List.of(e), null, null);
        return e;
    }

    /**
     * What {@code channel} does next: the entry to send (which is then in flight until {@link #record}), or when to
     * look again. May fold pending entries into a summary first (see the class comment).
     *
     * @param maxPerHour the channel's send limit; 0 for none
     */
    synchronized Decision next(String channel, int maxPerHour, Instant now) {
        if (inFlight.containsKey(channel)) {
            return Decision.IDLE;
        }
        StoredEntry head = head(channel);
        if (head == null) {
            return Decision.IDLE;
        }
        if (head.next() != null && head.next().isAfter(now)) {
            return new Decision(null, head.next());
        }
        if (maxPerHour > 0) {
            List<Instant> sent = deliveries(channel, now);
            if (sent.size() >= maxPerHour) {
                fold(channel, maxPerHour, now);
                return new Decision(null, sent.get(sent.size() - maxPerHour).plus(HOUR));
            }
            if (sent.size() == maxPerHour - 1 && pending(channel).count() > 1) {
                fold(channel, maxPerHour, now);
                head = head(channel);
                if (head.next() != null && head.next().isAfter(now)) {
                    return new Decision(null, head.next());
                }
            }
        }
        inFlight.put(channel, head.seq());
        return new Decision(head, null);
    }

    /**
     * Records how a try of an entry from {@link #next} went: delivered or failed for good (logged at WARN), or
     * pending again after a backoff, or failed for good when it has been failing for {@code giveUpAfter}.
     *
     * @return the entry as it is now; null when it is gone
     */
    synchronized StoredEntry record(StoredEntry tried, Delivery d, Instant now, Duration giveUpAfter) {
        String channel = tried.channel();
        inFlight.remove(channel, tried.seq());
        StoredEntry current = entries.get(tried.seq());
        if (current == null || !current.pending()) {
            return current;
        }
        ChannelRecord before = channel(channel);
        StoredEntry after;
        ChannelRecord record;
        switch (d.outcome()) {
            case DELIVERED -> {
                after = current.finish(State.DELIVERED, now, d.detail());
                record = new ChannelRecord(0, now, "");
                log.debug("channel {}: outbox entry {} delivered: {}", channel, after.id(), d.detail());
            }
            case FAILED -> {
                after = current.finish(State.FAILED, now, d.detail());
                record = new ChannelRecord(before.consecutiveFailures() + 1, before.lastDelivered(), d.detail());
                log.warn("channel {}: outbox entry {} ({}) failed for good: {}", channel, after.id(),
                        after.notification().title(), d.detail());
            }
            default -> {
                record = new ChannelRecord(before.consecutiveFailures() + 1, before.lastDelivered(), d.detail());
                Duration failing = Duration.between(current.since(), now);
                if (failing.compareTo(giveUpAfter) >= 0) {
                    String why = "gave up after " + (current.attempts() + 1) + " tries in " + failing.toSeconds()
                            + " s (give_up_after " + giveUpAfter.toSeconds() + " s); last: " + d.detail();
                    after = current.finish(State.FAILED, now, why);
                    log.warn("channel {}: outbox entry {} ({}) failed for good: {}", channel, after.id(),
                            after.notification().title(), why);
                } else {
                    Duration wait = backoff.delay(current.attempts() + 1, d.retryAfter());
                    after = current.retryAt(now.plus(wait), d.detail());
                    log.info("channel {}: outbox entry {} not delivered (try {}): {}; next try in {} s", channel,
                            after.id(), after.attempts(), d.detail(), wait.toSeconds());
                }
            }
        }
        keep(List.of(after), channel, record);
        return after;
    }

    /** Makes a failed entry pending again, its tries and give-up time starting anew; false when none such. */
    synchronized boolean retry(String id, Instant now) {
        StoredEntry e = byId(id);
        if (e == null || e.state() != State.FAILED) {
            return false;
        }
        keep(List.of(e.revived(now)), null, null);
        return true;
    }

    /** Fails for good the pending entries of channels no longer configured (logged per channel). */
    synchronized int failUnconfigured(Set<String> configured, Instant now) {
        List<StoredEntry> orphans = entries.values().stream()
                .filter(e -> e.pending() && !configured.contains(e.channel())).toList();
        if (orphans.isEmpty()) {
            return 0;
        }
        List<StoredEntry> failed = new ArrayList<>();
        Map<String, Integer> perChannel = new TreeMap<>();
        for (StoredEntry e : orphans) {
            failed.add(e.end(State.FAILED, now, "channel " + e.channel() + " is no longer in notification_channels"));
            perChannel.merge(e.channel(), 1, Integer::sum);
        }
        keep(failed, null, null);
        perChannel.forEach((c, n) -> log.warn("channel {} is no longer in notification_channels: its {} pending"
                + " notifications failed for good (see the outbox; retry them once it is back)", c, n));
        return failed.size();
    }

    /**
     * Deletes delivered and failed entries that finished {@code keep} ago or earlier, and summarised ones that did
     * too once their summary is no longer pending.
     */
    synchronized int prune(Instant now, Duration keep) {
        Instant cutoff = now.minus(keep);
        List<Long> gone = entries.values().stream()
                .filter(e -> e.done() != null && !e.done().isAfter(cutoff))
                .filter(e -> switch (e.state()) {
                    case DELIVERED, FAILED -> true;
                    case SUMMARISED -> !Optional.ofNullable(entries.get(e.heldIn())).map(StoredEntry::pending)
                            .orElse(false);
                    case PENDING -> false;
                }).map(StoredEntry::seq).toList();
        if (!gone.isEmpty()) {
            gone.forEach(entries::remove);
            write(() -> gone.forEach(store::remove));
            refresh();
        }
        return gone.size();
    }

    /** Entries, newest first, in one state or all (null). */
    synchronized List<StoredEntry> entries(State state, int limit) {
        return entries.descendingMap().values().stream().filter(e -> state == null || e.state() == state)
                .limit(Math.max(0, limit)).toList();
    }

    synchronized Optional<StoredEntry> entry(String id) {
        return Optional.ofNullable(byId(id));
    }

    /** A channel's failures, last delivery and last problem; read without the lock. */
    ChannelRecord channel(String name) {
        return channels.getOrDefault(name, ChannelRecord.NEW);
    }

    Counts counts() {
        return counts;
    }

    /** Entries in the file that could not be read (left there untouched). */
    int unreadable() {
        return unreadable;
    }

    /** Why the file is not written, or null when it is. */
    String problem() {
        return problem;
    }

    private StoredEntry byId(String id) {
        try {
            return entries.get(Long.parseLong(id));
        } catch (NumberFormatException | NullPointerException e) {
            return null;
        }
    }

    private StoredEntry head(String channel) {
        return pending(channel).findFirst().orElse(null);
    }

    private Stream<StoredEntry> pending(String channel) {
        return entries.values().stream().filter(e -> e.pending() && e.channel().equals(channel));
    }

    /** When the channel delivered within the hour before {@code now}, oldest first. */
    private List<Instant> deliveries(String channel, Instant now) {
        Instant from = now.minus(HOUR);
        return entries.values().stream()
                .filter(e -> e.state() == State.DELIVERED && e.channel().equals(channel) && e.done().isAfter(from))
                .map(StoredEntry::done).sorted().toList();
    }

    /**
     * Folds the channel's pending notifications into a summary: the newest summary not tried yet, or a new one. The
     * summary is stored before the entries it holds, so a process killed in between leaves those pending, and they
     * are folded again.
     */
    private void fold(String channel, int max, Instant now) {
        List<StoredEntry> regular = pending(channel).filter(e -> !e.summary()).toList();
        if (regular.isEmpty()) {
            return;
        }
        StoredEntry target = pending(channel).filter(e -> e.summary() && e.attempts() == 0)
                .reduce((a, b) -> b).orElse(null);
        long seq = target == null ? nextSeq++ : target.seq();
        List<StoredEntry> held = new ArrayList<>(entries.values().stream().filter(e -> e.heldIn() == seq).toList());
        held.addAll(regular);
        Instant time = target == null ? now : target.notification().time();
        Notification n = summaryOf(seq, channel, max, held, time);
        List<StoredEntry> changed = new ArrayList<>();
        changed.add(target == null ? StoredEntry.queued(seq, channel, n, now, true) : target.withNotification(n));
        String why = "held back by max_per_hour " + max + "; in summary " + seq;
        regular.forEach(e -> changed.add(e.heldIn(seq, now, why)));
        keep(changed, null, null);
        log.info("channel {}: {} notifications held back by max_per_hour {}, summarised in outbox entry {}", channel,
                regular.size(), max, seq);
    }

    /**
     * The summary of notifications a send limit held back: its severity the highest of theirs, its body the first
     * {@value #SUMMARY_TITLES} titles, oldest first, and how many more.
     */
    static Notification summaryOf(long seq, String channel, int max, List<StoredEntry> held, Instant time) {
        List<StoredEntry> sorted = held.stream().sorted(Comparator.comparingLong(StoredEntry::seq)).toList();
        Severity top = sorted.stream().map(e -> e.notification().severity()).max(Comparator.naturalOrder())
                .orElse(Severity.INFO);
        StringBuilder body = new StringBuilder("The send limit of channel ").append(channel).append(" (max_per_hour ")
                .append(max).append(") held these back:");
        sorted.stream().limit(SUMMARY_TITLES).forEach(e -> body.append("\n- ").append(e.notification().title()));
        if (sorted.size() > SUMMARY_TITLES) {
            body.append("\nand ").append(sorted.size() - SUMMARY_TITLES).append(" more");
        }
        return Notification.builder().id("summary-" + seq).event(Notification.SUMMARY).severity(top)
                .title(sorted.size() + (sorted.size() == 1 ? " notification" : " notifications") + " held back")
                .body(body.toString()).time(time).build();
    }

    /** Takes changed entries (and a channel's record) into memory and commits them to the store, in this order. */
    private void keep(List<StoredEntry> changed, String channel, ChannelRecord record) {
        changed.forEach(e -> entries.put(e.seq(), e));
        if (channel != null) {
            channels.put(channel, record);
        }
        long seq = nextSeq;
        write(() -> {
            changed.forEach(store::put);
            if (channel != null) {
                store.putChannel(channel, record);
            }
            store.nextSeq(seq);
        });
        refresh();
    }

    private void write(Runnable changes) {
        if (problem != null) {
            return;
        }
        // an interrupt would close the file's channel under MVStore: hold it back until the commit is done
        boolean interrupted = Thread.interrupted();
        try {
            changes.run();
            store.commit();
        } catch (RuntimeException e) {
            problem = "writing the outbox file " + store.file() + " failed: " + e.getMessage();
            log.error("{}; the outbox goes on in memory only: what it holds is lost if hbd stops before this is"
                    + " fixed and hbd restarted", problem);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void refresh() {
        Map<State, Integer> byState = new EnumMap<>(State.class);
        Map<String, Integer> pending = new HashMap<>();
        for (StoredEntry e : entries.values()) {
            byState.merge(e.state(), 1, Integer::sum);
            if (e.pending()) {
                pending.merge(e.channel(), 1, Integer::sum);
            }
        }
        counts = new Counts(byState, pending);
    }
}
