package org.heartbeat.server.internal.event;

import java.time.Duration;
import java.time.Instant;

import org.osgi.service.log.Logger;

/** Names a listener stuck in one call in the log, once per stall, and says when it moves again. */
final class Watchdog {
    private Watchdog() {
    }

    /** Called on the watchdog's one thread for each listener, every second. */
    static void check(Delivery d, Logger log, Instant now) {
        Instant busy = d.busySince();
        if (busy != null && Duration.between(busy, now).compareTo(Delivery.STALL) > 0) {
            if (!busy.equals(d.reportedStall)) {
                d.reportedStall = busy;
                log.warn("{} listener {} is stalled: in one call for {} s, on {}; {} wait for it",
                        d.kind().name().toLowerCase(java.util.Locale.ROOT), d.name,
                        Duration.between(busy, now).toSeconds(), d.busyWith(), d.behind());
            }
        } else if (d.reportedStall != null && !d.reportedStall.equals(busy)) {
            log.warn("{} listener {} is moving again after {} s; {} wait for it",
                    d.kind().name().toLowerCase(java.util.Locale.ROOT), d.name,
                    Duration.between(d.reportedStall, now).toSeconds(), d.behind());
            d.reportedStall = null;
        }
    }
}
