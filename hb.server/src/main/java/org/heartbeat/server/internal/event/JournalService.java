package org.heartbeat.server.internal.event;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.heartbeat.config.Section;
import org.heartbeat.server.api.event.EventJournal;
import org.heartbeat.server.api.event.EventQuery;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.internal.util.RateLimitedLog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/** The {@link Journal} as a service: the core appends to it, the API reads it. */
@Component(service = {JournalService.class, EventJournal.class}, configurationPid = EventsSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = EventsSettings.class)
public final class JournalService implements EventJournal {
    private final Journal journal;
    private final Logger log;

    @Activate
    public JournalService(EventsSettings settings, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        RateLimitedLog limited = new RateLimitedLog(60_000, log::error);
        Journal.Settings s = settings(settings);
        this.journal = Journal.open(s, System::currentTimeMillis,
                (message, e) -> limited.log(message, System.currentTimeMillis(), "{}", message));
        log.info("event journal in {} (keeps {} days, at most {} MB)", s.dir(), s.retention().toDays(),
                s.maxBytes() / (1024 * 1024));
    }

    static Journal.Settings settings(EventsSettings s) {
        return new Journal.Settings(Section.expandHome(s.dir()), Duration.ofMillis(Math.round(s.retention() * 1000)),
                s.maxBytes());
    }

    @Modified
    void modified(EventsSettings settings) {
        Journal.Settings s = settings(settings);
        if (!s.dir().equals(journal.dir())) {
            log.warn("events: dir changes take effect at the next start (the journal stays in {})", journal.dir());
        }
        journal.settings(s);
    }

    /** The journal itself, for the core. */
    public Journal journal() {
        return journal;
    }

    @Override
    public List<HostEvent> read(EventQuery query) {
        return journal.read(query);
    }

    @Override
    public long lastId() {
        return journal.durableId();
    }

    @Deactivate
    void deactivate() {
        journal.close();
    }

    /** For the status: where, how big, since when. */
    Path dir() {
        return journal.dir();
    }
}
