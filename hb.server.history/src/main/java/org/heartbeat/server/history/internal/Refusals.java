package org.heartbeat.server.history.internal;

import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.log.Logger;

/**
 * What the history did not keep, counted by reason for {@code /api/status}, and each reason logged at most once
 * a minute with its count so far: a flood of refusals costs a counter, not the log. Safe from any thread.
 */
final class Refusals {
    /** Why something was not kept; {@link #key} names its counter in the status. */
    enum Reason {
        QUEUE_FULL("not_recorded_queue_full", "the history store falls behind: samples are not recorded"),
        SERIES_FULL("not_recorded_series_full",
                "the history holds " + HistoryStore.MAX_SERIES + " series, the most it can: new metrics are not recorded"),
        PLUGINS_PER_HOST("not_recorded_plugins_per_host",
                "a host reports more plugins than max_plugins_per_host: those beyond are not kept"),
        METRICS_PER_PLUGIN("not_recorded_metrics_per_plugin",
                "a plugin reports more metrics than max_metrics_per_plugin: those beyond are not recorded"),
        SIZE_NEW_SERIES("not_recorded_size_new_series",
                "the history store holds more than max_size_mb: new metrics are not recorded"),
        SIZE_POINTS("not_recorded_size_points",
                "the history store holds more than max_size_mb in a file past 110% of it: no values are recorded"),
        WRITE_FAILED("write_failures", "writing the plugin history failed");

        final String key;
        final String message;

        Reason(String key, String message) {
            this.key = key;
            this.message = message;
        }
    }

    static final long LOG_PERIOD_MILLIS = 60_000;

    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);
    private final AtomicLongArray lastLogged = new AtomicLongArray(Reason.values().length);
    private final Clock clock;
    private final Logger log;

    Refusals(Clock clock, Logger log) {
        this.clock = clock;
        this.log = log;
        for (Reason r : Reason.values()) {
            counts.put(r, new LongAdder());
            lastLogged.set(r.ordinal(), Long.MIN_VALUE / 2);
        }
    }

    /** Counts one refusal; logs it, with the count so far, unless this reason was logged within the last minute. */
    void refuse(Reason reason, String what) {
        LongAdder count = counts.get(reason);
        count.increment();
        long now = clock.millis();
        long last = lastLogged.get(reason.ordinal());
        if (now - last >= LOG_PERIOD_MILLIS && lastLogged.compareAndSet(reason.ordinal(), last, now)) {
            log.warn("{} ({}; {} so far, logged at most once a minute)", reason.message, what, count.sum());
        }
    }

    long count(Reason reason) {
        return counts.get(reason).sum();
    }

    /** Every counter by its status key, in the order of {@link Reason}. */
    Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((r, n) -> out.put(r.key, n.sum()));
        return out;
    }
}
