package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.heartbeat.server.api.alert.Alert;
import org.heartbeat.server.api.alert.Alerts;
import org.heartbeat.server.api.alert.Silence;
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
 * Alerts and silences (docs/HTTP_API.md, "Alerts"):
 * <ul>
 * <li>{@code GET /api/alerts}: the active alerts, oldest first.</li>
 * <li>{@code POST /api/alerts/ack} with {@code {"host": "web1", "id": "web1/overdue", "comment": "..."}}
 * ({@code id} optional: every alert of the host): acknowledges; answers the alerts acknowledged.</li>
 * <li>{@code GET /api/alerts/history?host=&limit=&offset=}: what happened to alerts, newest first, a page at a
 * time.</li>
 * <li>{@code GET /api/silences}; {@code POST /api/silences} with {@code {"host": "web1", "duration": "2h",
 * "reason": "..."}} ({@code host} absent or null: every host) answers 201 and the silence;
 * {@code DELETE /api/silences/ID} lifts one.</li>
 * </ul>
 * Who acts is the authenticated user ({@code getRemoteUser()}); an admin acts on every host, other users on the
 * hosts they own. Without users configured, the API is open and actions are recorded as {@code anonymous}. Each
 * acknowledgement, silence and lifted silence goes to the {@link Audit} log.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/alerts", "/api/alerts/*", "/api/silences", "/api/silences/*"})
@HttpWhiteboardTarget(Api.TARGET)
public final class AlertsResource extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(s|m|h|d|w)?");

    private final transient Alerts alerts;
    private final transient Access access;
    private final transient Audit audit;

    @Activate
    public AlertsResource(@Reference Alerts alerts, @Reference UserDirectory users, @Reference Audit audit) {
        this.alerts = alerts;
        this.access = new Access(users);
        this.audit = audit;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        String method = req.getMethod();
        try {
            if (path.equals("/api/alerts")) {
                if (!isGet(method)) {
                    Api.methodNotAllowed(resp, "GET");
                    return;
                }
                Api.json(resp, 200, alerts.active().stream().filter(a -> mayAct(req, a.host()))
                        .map(AlertView::of).toList());
            } else if (path.equals("/api/alerts/history")) {
                if (!isGet(method)) {
                    Api.methodNotAllowed(resp, "GET");
                    return;
                }
                String host = req.getParameter("host");
                host = host == null || host.isEmpty() ? null : host;
                if (host != null && !mayAct(req, host)) {
                    Api.error(resp, 403, "you may see only the alerts of hosts you own");
                    return;
                }
                int limit = (int) Params.integer("limit", req.getParameter("limit"), 100, 1, Alerts.HISTORY_KEPT);
                int offset = (int) Params.integer("offset", req.getParameter("offset"), 0, 0, Alerts.HISTORY_KEPT);
                List<RecordView> seen = alerts.history(host, Math.min(offset + limit + 1, Alerts.HISTORY_KEPT))
                        .stream().filter(r -> mayAct(req, r.host())).map(RecordView::of).toList();
                Paging.Page<RecordView> page = Paging.offset(seen, offset, limit, seen.size() > offset + limit);
                page.next().ifPresent(n -> resp.setHeader("Link", Paging.link(req, path, "offset", n,
                        List.of("host", "limit"))));
                Api.json(resp, 200, page.items());
            } else if (path.equals("/api/alerts/ack")) {
                if (!method.equals("POST")) {
                    Api.methodNotAllowed(resp, "POST");
                    return;
                }
                JsonNode body = body(req);
                String host = text(body, "host", null);
                if (host == null || host.isEmpty()) {
                    throw new IllegalArgumentException("host: required, the host whose alerts to acknowledge");
                }
                if (!mayAct(req, host)) {
                    Api.error(resp, 403, "you may acknowledge only the alerts of hosts you own");
                    return;
                }
                String id = text(body, "id", null);
                String comment = text(body, "comment", "");
                List<Alert> done = alerts.acknowledge(host, id, actor(req), comment);
                for (Alert a : done) {
                    audit.record(req, "acknowledge", a.id(), comment);
                }
                Api.json(resp, 200, done.stream().map(AlertView::of).toList());
            } else if (path.equals("/api/silences")) {
                if (isGet(method)) {
                    Api.json(resp, 200, alerts.silences().stream().map(SilenceView::of).toList());
                } else if (method.equals("POST")) {
                    JsonNode body = body(req);
                    String host = text(body, "host", null);
                    if (host != null && host.isEmpty()) {
                        host = null;
                    }
                    if (host == null ? !admin(req) : !mayAct(req, host)) {
                        Api.error(resp, 403, host == null ? "only an admin may silence every host"
                                : "you may silence only hosts you own");
                        return;
                    }
                    String duration = text(body, "duration", null);
                    if (duration == null) {
                        throw new IllegalArgumentException("duration: required, such as 30m, 2h or 1d");
                    }
                    Silence s = alerts.silence(host, duration(duration), actor(req), text(body, "reason", ""));
                    audit.record(req, "silence", host, s.id() + " until " + Api.time(s.until())
                            + (s.reason().isEmpty() ? "" : ": " + s.reason()));
                    Api.json(resp, 201, SilenceView.of(s));
                } else {
                    Api.methodNotAllowed(resp, "GET, POST");
                }
            } else if (path.startsWith("/api/silences/")) {
                if (!method.equals("DELETE")) {
                    Api.methodNotAllowed(resp, "DELETE");
                    return;
                }
                String id = path.substring("/api/silences/".length());
                Optional<Silence> s = alerts.silences().stream().filter(x -> x.id().equals(id)).findFirst();
                if (s.isEmpty()) {
                    Api.error(resp, 404, "no silence " + id);
                    return;
                }
                if (s.get().host().isEmpty() ? !admin(req) : !mayAct(req, s.get().host().get())) {
                    Api.error(resp, 403, "you may lift only silences of hosts you own");
                    return;
                }
                alerts.unsilence(id, actor(req));
                audit.record(req, "unsilence", s.get().host().orElse(null), id);
                resp.setStatus(204);
            } else {
                Api.error(resp, 404, "no such resource: " + path);
            }
        } catch (IllegalArgumentException e) {
            Api.error(resp, 400, e.getMessage());
        }
    }

    private static boolean isGet(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }

    /** The acting user's name; {@code anonymous} when no users are configured. */
    private static String actor(HttpServletRequest req) {
        return Access.actor(req.getRemoteUser());
    }

    private boolean admin(HttpServletRequest req) {
        return access.admin(req.getRemoteUser());
    }

    private boolean mayAct(HttpServletRequest req, String host) {
        return access.mayAct(req.getRemoteUser(), host);
    }

    static JsonNode body(HttpServletRequest req) throws IOException {
        if (req.getContentLengthLong() == 0) {
            return Api.JSON.createObjectNode();
        }
        try {
            JsonNode n = Api.JSON.readTree(req.getInputStream());
            if (n == null || n.isMissingNode()) {
                return Api.JSON.createObjectNode();
            }
            if (!n.isObject()) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }

    static String text(JsonNode body, String key, String def) {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(key + ": expected a string");
        }
        return v.asText();
    }

    /** {@code 90} (seconds), {@code 30m}, {@code 2h}, {@code 1d}, {@code 1w}. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("duration: expected a number with s, m, h, d or w, such as 2h; got \""
                    + text + "\"");
        }
        double n = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86_400;
            case "w" -> 7 * 86_400;
            default -> 1;
        };
        return Duration.ofMillis(Math.round(n * unit * 1000));
    }

    record AlertView(String id, String host, String kind, String subject, String severity, String since,
            Double value, Double threshold, String message, Map<String, String> acknowledged, boolean silenced,
            boolean flapping, String heldBack, String lastNotified) {
        static AlertView of(Alert a) {
            return new AlertView(a.id(), a.host(), a.kind().name().toLowerCase(java.util.Locale.ROOT), a.subject(),
                    a.severity().name(), Api.time(a.since()), a.value().orElse(null), a.threshold().orElse(null),
                    a.message(), a.acknowledgement().map(k -> Map.of("user", k.user(), "time", Api.time(k.time()),
                            "comment", k.comment())).orElse(null),
                    a.silenced(), a.flapping(), a.heldBack().orElse(null), Api.time(a.lastNotified()));
        }
    }

    record RecordView(long id, String time, String alertId, String host, String kind, String severity, String step,
            String text, String user) {
        static RecordView of(org.heartbeat.server.api.alert.AlertRecord r) {
            return new RecordView(r.id(), Api.time(r.time()), r.alertId(), r.host(),
                    r.kind().name().toLowerCase(java.util.Locale.ROOT), r.severity().name(), r.step(), r.text(),
                    r.user().isEmpty() ? null : r.user());
        }
    }

    record SilenceView(String id, String host, String from, String until, String user, String reason) {
        static SilenceView of(Silence s) {
            return new SilenceView(s.id(), s.host().orElse(null), Api.time(s.from()), Api.time(s.until()), s.user(),
                    s.reason());
        }
    }
}
