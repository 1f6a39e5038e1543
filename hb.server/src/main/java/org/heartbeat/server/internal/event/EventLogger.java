package org.heartbeat.server.internal.event;

import java.util.HashMap;
import java.util.Map;

import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.event.HostEventListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Writes every host event to the log: overdue and name conflicts as warnings, the rest as information. New hosts
 * and boots, which anyone who can send a datagram causes at will in open mode, are limited: one line per host and
 * type a minute, and {@value #PER_SECOND} lines a second in all; the next line written says how many were left
 * out. The journal keeps every one of them ({@code GET /api/events}).
 */
@Component(property = HostEventListener.NAME + "=log")
public final class EventLogger implements HostEventListener {
    static final int PER_SECOND = 20;
    private static final long PER_HOST_MILLIS = 60_000;
    private static final int REMEMBERED_HOSTS = 10_000;

    private final Logger log;
    private final Map<String, Long> lastPerHost = new HashMap<>();
    private long windowStart;
    private int inWindow;
    private long suppressed;

    @Activate
    public EventLogger(@Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
    }

    /** Called on this listener's one delivery thread: no locking needed. */
    @Override
    public void hostEvent(HostEvent event) {
        switch (event.type()) {
            case OVERDUE, NAME_CONFLICT -> log.warn("{}", event.message());
            case NEW, BOOT -> limited(event, event.time().toEpochMilli());
            default -> log.info("{}", event.message());
        }
    }

    private void limited(HostEvent event, long now) {
        String key = event.type() + " " + event.host();
        Long last = lastPerHost.get(key);
        boolean hostAllows = last == null || now - last >= PER_HOST_MILLIS;
        if (now - windowStart >= 1000) {
            windowStart = now;
            inWindow = 0;
        }
        if (!hostAllows || inWindow >= PER_SECOND) {
            suppressed++;
            return;
        }
        inWindow++;
        if (lastPerHost.size() >= REMEMBERED_HOSTS) {
            lastPerHost.clear();
        }
        lastPerHost.put(key, now);
        if (suppressed > 0) {
            log.info("{} ({} more new-host and boot events not logged; GET /api/events lists them)",
                    event.message(), suppressed);
            suppressed = 0;
        } else {
            log.info("{}", event.message());
        }
    }
}
