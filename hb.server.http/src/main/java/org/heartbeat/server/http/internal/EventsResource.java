package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import org.heartbeat.server.api.event.EventJournal;
import org.heartbeat.server.api.event.EventQuery;
import org.heartbeat.server.api.event.HostEvent;
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
 * {@code /api/hosts/NAME/events} (through {@link HostsResource}).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/events")
@HttpWhiteboardTarget(Api.TARGET)
public final class EventsResource extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient EventJournal journal;

    @Activate
    public EventsResource(@Reference EventJournal journal) {
        this.journal = journal;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
            Api.methodNotAllowed(resp, "GET");
            return;
        }
        respond(journal, req.getParameter("host"), req, resp, "/api/events");
    }

    /** Answers a query of the journal; {@code host} may be null for every host. */
    static void respond(EventJournal journal, String host, HttpServletRequest req, HttpServletResponse resp,
            String path) throws IOException {
        EventQuery query;
        try {
            query = query(host, req, Instant.now());
        } catch (IllegalArgumentException e) {
            Api.error(resp, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        List<HostEvent> events = journal.read(query);
        if (events.size() == query.limit()) {
            resp.setHeader("Link", "<" + next(req, path, events.get(events.size() - 1).id()) + ">; rel=\"next\"");
        }
        Api.json(resp, HttpServletResponse.SC_OK, events.stream().map(Views.Event::of).toList());
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
        StringBuilder s = new StringBuilder(req.getContextPath()).append(path).append("?after=").append(lastId);
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
