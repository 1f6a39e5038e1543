package org.heartbeat.server.internal.util;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Lets one line per topic through every {@code periodMillis} and counts the rest, so that a flood of bad
 * datagrams cannot flood the log: "... (and 4211 more like it since the last report)".
 */
public final class RateLimitedLog {
    private static final class Topic {
        long lastMillis = Long.MIN_VALUE / 2;
        long suppressed;
    }

    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final long periodMillis;
    private final BiConsumer<String, Object[]> sink;

    public RateLimitedLog(long periodMillis, BiConsumer<String, Object[]> sink) {
        this.periodMillis = periodMillis;
        this.sink = sink;
    }

    public void log(String topic, long nowMillis, String format, Object... args) {
        Topic t = topics.computeIfAbsent(topic, k -> new Topic());
        long suppressed;
        synchronized (t) {
            if (nowMillis - t.lastMillis < periodMillis) {
                t.suppressed++;
                return;
            }
            suppressed = t.suppressed;
            t.suppressed = 0;
            t.lastMillis = nowMillis;
        }
        if (suppressed > 0) {
            Object[] withCount = java.util.Arrays.copyOf(args, args.length + 1);
            withCount[args.length] = suppressed;
            sink.accept(format + " (and {} more like it since the last report)", withCount);
        } else {
            sink.accept(format, args);
        }
    }
}
