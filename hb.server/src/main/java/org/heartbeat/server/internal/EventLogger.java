package org.heartbeat.server.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/** Writes every host event to the log: overdue and name conflicts as warnings, the rest as information. */
@Component
public final class EventLogger implements HostEventListener {
    private final Logger log;

    @Activate
    public EventLogger(@Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
    }

    @Override
    public void hostEvent(HostEvent event) {
        switch (event.type()) {
            case OVERDUE, NAME_CONFLICT -> log.warn("{}", event.message());
            default -> log.info("{}", event.message());
        }
    }
}
