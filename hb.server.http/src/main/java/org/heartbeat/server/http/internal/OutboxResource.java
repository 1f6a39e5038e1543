package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.heartbeat.api.notify.Delivery;
import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.Severity;
import org.heartbeat.server.api.notify.ChannelStatus;
import org.heartbeat.server.api.notify.Outbox;
import org.heartbeat.server.api.notify.OutboxEntry;
import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The outbox and the channels (docs/HTTP_API.md, "Notifications"), for admins:
 * <ul>
 * <li>{@code GET /api/outbox?state=pending|delivered|failed|summarised&limit=N&offset=N}: entries, newest first, a
 * page at a time.</li>
 * <li>{@code POST /api/outbox/ID/retry}: sends a failed entry again.</li>
 * <li>{@code GET /api/channels}: every configured channel and how its deliveries go.</li>
 * <li>{@code POST /api/notify} with {@code {"channel": "pushover_ops"}} (or no channel: every one): sends a test
 * message now and answers each channel's outcome ({@code hbd notify}).</li>
 * </ul>
 * A retry and a test message go to the {@link Audit} log.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/outbox", "/api/outbox/*", "/api/channels", "/api/notify"})
@HttpWhiteboardTarget(Api.TARGET)
public final class OutboxResource extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient Outbox outbox;
    private final transient UserDirectory users;
    private final transient Audit audit;

    @Activate
    public OutboxResource(@Reference Outbox outbox, @Reference UserDirectory users, @Reference Audit audit) {
        this.outbox = outbox;
        this.users = users;
        this.audit = audit;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        String method = req.getMethod();
        boolean get = method.equals("GET") || method.equals("HEAD");
        if (req.getRemoteUser() != null && !users.user(req.getRemoteUser()).map(User::admin).orElse(false)) {
            Api.error(resp, 403, "the outbox and the channels are for admins");
            return;
        }
        try {
            if (path.equals("/api/outbox")) {
                if (!get) {
                    Api.methodNotAllowed(resp, "GET");
                    return;
                }
                String state = req.getParameter("state");
                OutboxEntry.State s = null;
                if (state != null && !state.isEmpty()) {
                    try {
                        s = OutboxEntry.State.valueOf(state.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("state: one of pending, delivered, failed, summarised");
                    }
                }
                int limit = (int) Params.integer("limit", req.getParameter("limit"), 100, 1, 1000);
                int offset = (int) Params.integer("offset", req.getParameter("offset"), 0, 0, 100_000);
                List<EntryView> seen = outbox.entries(s, offset + limit + 1).stream().map(EntryView::of).toList();
                Paging.Page<EntryView> page = Paging.offset(seen, offset, limit, seen.size() > offset + limit);
                page.next().ifPresent(n -> resp.setHeader("Link", Paging.link(req, path, "offset", n,
                        List.of("state", "limit"))));
                Api.json(resp, 200, page.items());
            } else if (path.startsWith("/api/outbox/") && path.endsWith("/retry")) {
                if (!method.equals("POST")) {
                    Api.methodNotAllowed(resp, "POST");
                    return;
                }
                String id = path.substring("/api/outbox/".length(), path.length() - "/retry".length());
                if (!outbox.retry(id)) {
                    Api.error(resp, 404, "no failed entry " + id);
                    return;
                }
                audit.record(req, "retry", id, null);
                Api.json(resp, 200, outbox.entry(id).map(EntryView::of).orElse(null));
            } else if (path.equals("/api/channels")) {
                if (!get) {
                    Api.methodNotAllowed(resp, "GET");
                    return;
                }
                Api.json(resp, 200, outbox.channels().stream().map(ChannelView::of).toList());
            } else if (path.equals("/api/notify")) {
                if (!method.equals("POST")) {
                    Api.methodNotAllowed(resp, "POST");
                    return;
                }
                String channel = AlertsResource.text(AlertsResource.body(req), "channel", null);
                List<String> names = new ArrayList<>();
                for (ChannelStatus c : outbox.channels()) {
                    if (channel == null || c.name().equals(channel)) {
                        names.add(c.name());
                    }
                }
                if (channel != null && names.isEmpty()) {
                    Api.error(resp, 404, "no channel named " + channel + " in notification_channels:");
                    return;
                }
                List<TestResult> results = new ArrayList<>();
                for (String name : names) {
                    Notification n = Notification.builder().id(UUID.randomUUID().toString())
                            .event(Notification.TEST).severity(Severity.INFO).title("Heartbeat test message")
                            .body("This is a test of the notification channel " + name + " from hbd ("
                                    + (req.getRemoteUser() == null ? "hbd notify" : "by " + req.getRemoteUser())
                                    + "). If you read this, it works.")
                            .time(java.time.Instant.now()).build();
                    Delivery d = outbox.test(name, n);
                    audit.record(req, "test-notify", name, d.outcome().name().toLowerCase(Locale.ROOT));
                    results.add(new TestResult(name, d.outcome().name().toLowerCase(Locale.ROOT), d.detail()));
                }
                Api.json(resp, 200, results);
            } else {
                Api.error(resp, 404, "no such resource: " + path);
            }
        } catch (IllegalArgumentException e) {
            Api.error(resp, 400, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Api.error(resp, 503, "interrupted while sending");
        }
    }

    record TestResult(String channel, String outcome, String detail) {
    }

    record EntryView(String id, String channel, String event, String severity, String host, String title,
            String state, int attempts, String created, String nextAttempt, String finished, String detail) {
        static EntryView of(OutboxEntry e) {
            Notification n = e.notification();
            return new EntryView(e.id(), e.channel(), n.event(), n.severity().name(), n.host().orElse(null),
                    n.title(), e.state().name().toLowerCase(Locale.ROOT), e.attempts(), Api.time(e.created()),
                    Api.time(e.nextAttempt()), Api.time(e.finished()), e.detail());
        }
    }

    record ChannelView(String name, String type, boolean available, boolean failing, int pending,
            int consecutiveFailures, String lastDelivered, String lastProblem, int maxPerHour) {
        static ChannelView of(ChannelStatus c) {
            return new ChannelView(c.name(), c.type(), c.available(), c.failing(), c.pending(),
                    c.consecutiveFailures(), Api.time(c.lastDelivered()), c.lastProblem(), c.maxPerHour());
        }
    }
}
