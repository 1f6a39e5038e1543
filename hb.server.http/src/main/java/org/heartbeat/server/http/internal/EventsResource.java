package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.heartbeat.server.api.event.EventJournal;
import org.heartbeat.server.api.event.EventQuery;
import org.heartbeat.server.api.event.HostEvent;
import org.heartbeat.server.api.user.UserDirectory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/events?host=&since=&until=&after=&type=&limit=}: the event journal, oldest first, a page at a time;
 * a full page carries a {@code Link: <...&after=ID>; rel="next"} header for the next. Also answers
 * {@code /api/hosts/NAME/events} (through {@link HostsResource}). A user who is no admin reads the events of the
 * hosts they own and no others ({@link Access}): asking for another host's events gives an empty list, as for a host
 * that has none, so the answer does not tell whether it exists.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/events")
@HttpWhiteboardTarget(Api.TARGET)
public final class EventsResource extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient EventJournal journal;
    private final transient Access access;

    @Activate
    public EventsResource(@Reference EventJournal journal, @Reference UserDirectory users) {
        this.journal = journal;
        this.access = new Access(users);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
            Api.methodNotAllowed(resp, "GET");
            return;
        }
        String user = req.getRemoteUser();
        respond(journal, req.getParameter("host"), access.admin(user) ? null : host -> access.mayAct(user, host),
                req, resp, "/api/events");
    }

    /**
     * Answers a query of the journal; {@code host} may be null for every host, {@code visible} null when the user
     * sees every host, else it says which hosts' events they may read.
     */
    static void respond(EventJournal journal, String host, Predicate<String> visible, HttpServletRequest req,
            HttpServletResponse resp, String path) throws IOException {
        EventQuery query;
        try {
            query = query(host, req, Instant.now());
        } catch (IllegalArgumentException e) {
            Api.error(resp, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        List<HostEvent> events = visible == null ? journal.read(query) : read(journal, query, visible);
        if (events.size() == query.limit()) {
            resp.setHeader("Link", "<" + next(req, path, events.get(events.size() - 1).id()) + ">; rel=\"next\"");
        }
        Api.json(resp, HttpServletResponse.SC_OK, events.stream().map(Views.Event::of).toList());
    }

    /**
     * The first {@code query.limit()} events of the query whose host is visible: the journal is read on in pages of
     * the largest size until the page is full or the journal has no more (the journal scans its files in order
     * either way; it keeps no index by host).
     */
    static List<HostEvent> read(EventJournal journal, EventQuery query, Predicate<String> visible) {
        if (query.host().isPresent() && !visible.test(query.host().get())) {
            return List.of();
        }
        List<HostEvent> out = new ArrayList<>();
        long after = query.after();
        while (true) {
            EventQuery.Builder b = EventQuery.builder().host(query.host().orElse(null)).after(after)
                    .limit(EventQuery.MAX_LIMIT).types(query.types().toArray(HostEvent.Type[]::new));
            query.since().ifPresent(b::since);
            query.until().ifPresent(b::until);
            List<HostEvent> chunk = journal.read(b.build());
            for (HostEvent e : chunk) {
                if (visible.test(e.host())) {
                    out.add(e);
                    if (out.size() == query.limit()) {
                        return out;
                    }
                }
            }
            if (chunk.size() < EventQuery.MAX_LIMIT) {
                return out;
            }
            after = chunk.get(chunk.size() - 1).id();
        }
    }

    static EventQuery query(String host, HttpServletRequest req, Instant now) {
        EventQuery.Builder q = EventQuery.builder().host(host == null || host.isEmpty() ? null : host);
        q.since(Params.time("since", req.getParameter("since"), now, null));
        q.until(Params.time("until", req.getParameter("until"), now, null));
        q.after(Params.integer("after", req.getParameter("after"), 0, 0, Long.MAX_VALUE));
        q.limit((int) Params.integer("limit", req.getParameter("limit"), EventQuery.DEFAULT_LIMIT, 1,
                EventQuery.MAX_LIMIT));
        String[] types = req.getParameterValues("type");
        if (types != null) {
            for (String list : types) {
                for (String t : list.split(",")) {
                    if (!t.isBlank()) {
                        q.types(Views.type(t.strip()));
                    }
                }
            }
        }
        return q.build();
    }

    /** The same query, from after the last event shown. */
    private static String next(HttpServletRequest req, String path, long lastId) {
        StringBuilder s = new StringBuilder(ForwardedHeaders.base(req)).append(req.getContextPath()).append(path)
                .append("?after=").append(lastId);
        for (String name : List.of("host", "since", "until", "type", "limit")) {
            String[] values = req.getParameterValues(name);
            if (values != null) {
                for (String v : values) {
                    s.append('&').append(name).append('=').append(HostsResource.encode(v));
                }
            }
        }
        return s.toString();
    }
}
