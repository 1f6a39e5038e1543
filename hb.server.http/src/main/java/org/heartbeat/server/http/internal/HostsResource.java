package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.heartbeat.api.MetricPath;
import org.heartbeat.server.api.HostCommands;
import org.heartbeat.server.api.HostDirectory;
import org.heartbeat.server.api.HostOverrides;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.event.EventJournal;
import org.heartbeat.server.api.plugin.HistoryPoint;
import org.heartbeat.server.api.plugin.PluginState;
import org.heartbeat.server.api.plugin.PluginValues;
import org.heartbeat.server.api.user.UserDirectory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /api/hosts} and everything below it: the hosts (a page at a time with {@code limit} and {@code after}), one
 * host, its plugins' latest values, one plugin, the history of one value, the host's events, and its commands
 * ({@link CommandOperations}: listed, and queued by POST); forgetting a host and its settings overrides
 * ({@link HostOperations}). Plugin values come from the history bundle; while it is not running
 * those resources answer 503 and the rest goes on. Fields are documented in docs/HTTP_API.md.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({HostsResource.PREFIX, HostsResource.PREFIX + "/*"})
@HttpWhiteboardTarget(Api.TARGET)
public final class HostsResource extends HttpServlet {
    static final String PREFIX = "/api/hosts";
    /** The most points one history request returns. */
    static final int MAX_POINTS = 100_000;

    private static final long serialVersionUID = 1L;
    private static final Route LIST = Route.of("");
    private static final Route HOST = Route.of("{host}");
    private static final Route PLUGINS = Route.of("{host}/plugins");
    private static final Route PLUGIN = Route.of("{host}/plugins/{plugin}");
    private static final Route HISTORY = Route.of("{host}/plugins/{plugin}/history");
    private static final Route EVENTS = Route.of("{host}/events");
    private static final Route COMMANDS = Route.of("{host}/commands");
    private static final Route SETTINGS = Route.of("{host}/settings");
    /** The most hosts one page holds. */
    static final int MAX_PAGE = 10_000;

    private final transient HostDirectory hosts;
    private final transient EventJournal journal;
    private final transient CommandOperations commands;
    private final transient HostOperations operations;
    private final transient HostOverrides overrides;
    private final transient Audit audit;
    private final transient Access access;

    private transient volatile PluginValues values;

    @Activate
    public HostsResource(@Reference HostDirectory hosts, @Reference EventJournal journal,
            @Reference HostCommands commands, @Reference UserDirectory users, @Reference HostOverrides overrides,
            @Reference Audit audit) {
        this.hosts = hosts;
        this.journal = journal;
        this.commands = new CommandOperations(hosts, commands, new Access(users));
        this.operations = new HostOperations(hosts, commands, overrides, new Access(users));
        this.overrides = overrides;
        this.audit = audit;
        this.access = new Access(users);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindValues(PluginValues v) {
        this.values = v;
    }

    void unbindValues(PluginValues v) {
        if (this.values == v) {
            this.values = null;
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> segments;
        try {
            segments = Route.segments(req.getRequestURI().substring(req.getContextPath().length()), PREFIX);
        } catch (IllegalArgumentException e) {
            Api.error(resp, HttpServletResponse.SC_BAD_REQUEST, "a malformed path: " + e.getMessage());
            return;
        }
        boolean get = req.getMethod().equals("GET") || req.getMethod().equals("HEAD");
        if (COMMANDS.match(segments).isPresent()) {
            commands(segments.get(0), get, req, resp);
            return;
        }
        if (SETTINGS.match(segments).isPresent()) {
            settings(segments.get(0), get, req, resp);
            return;
        }
        if (HOST.match(segments).isPresent() && req.getMethod().equals("DELETE")) {
            Answer a = operations.forget(req.getRemoteUser(), segments.get(0));
            if (a.status() == HttpServletResponse.SC_NO_CONTENT) {
                audit.record(req, "forget", segments.get(0), "");
            }
            write(a, resp);
            return;
        }
        if (!get) {
            Api.methodNotAllowed(resp, HOST.match(segments).isPresent() ? "GET, DELETE" : "GET");
            return;
        }
        if (LIST.match(segments).isPresent()) {
            list(req, resp);
            return;
        }
        Optional<Map<String, String>> p;
        String name = segments.get(0);
        // a user who is no admin sees the hosts they own, and no others: not even whether they exist
        Optional<HostView> host = hosts.host(name).filter(h -> access.mayAct(req.getRemoteUser(), h.name()));
        if (host.isEmpty()) {
            Api.error(resp, HttpServletResponse.SC_NOT_FOUND, "no host named \"" + name + "\"");
        } else if (HOST.match(segments).isPresent()) {
            Api.json(resp, HttpServletResponse.SC_OK, Views.Host.of(host.get(), overrides.overrides(name)));
        } else if (PLUGINS.match(segments).isPresent()) {
            plugins(name, resp);
        } else if ((p = PLUGIN.match(segments)).isPresent()) {
            plugin(name, p.get().get("plugin"), resp);
        } else if ((p = HISTORY.match(segments)).isPresent()) {
            history(name, p.get().get("plugin"), req, resp);
        } else if (EVENTS.match(segments).isPresent()) {
            EventsResource.respond(journal, name, null, req, resp, PREFIX + "/" + encode(name) + "/events");
        } else {
            Api.error(resp, HttpServletResponse.SC_NOT_FOUND, "no such resource: " + req.getRequestURI()
                    + " (see docs/HTTP_API.md)");
        }
    }

    private void list(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int limit;
        try {
            limit = (int) Params.integer("limit", req.getParameter("limit"), MAX_PAGE, 1, MAX_PAGE);
        } catch (IllegalArgumentException e) {
            Api.error(resp, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        String user = req.getRemoteUser();
        List<HostView> visible = access.admin(user) ? hosts.hosts()
                : hosts.hosts().stream().filter(h -> access.mayAct(user, h.name())).toList();
        Paging.Page<HostView> page = Paging.after(visible, HostView::name, req.getParameter("after"), limit);
        page.next().ifPresent(last -> resp.setHeader("Link", Paging.link(req, PREFIX, "after", last,
                List.of("limit"))));
        Api.json(resp, HttpServletResponse.SC_OK, page.items().stream()
                .map(h -> Views.Host.of(h, overrides.overrides(h.name()))).toList());
    }

    private void commands(String host, boolean get, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        try {
            if (get) {
                commands.pending(host).write(resp);
            } else if (req.getMethod().equals("POST")) {
                com.fasterxml.jackson.databind.JsonNode body = AlertsResource.body(req);
                Answer a = commands.queue(req.getRemoteUser(), host, body);
                if (a.status() == HttpServletResponse.SC_CREATED) {
                    audit.record(req, "command", host, String.valueOf(body));
                }
                a.write(resp);
            } else {
                Api.methodNotAllowed(resp, "GET, POST");
            }
        } catch (IllegalArgumentException e) {
            Api.error(resp, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        }
    }

    private void settings(String host, boolean get, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        try {
            Answer a;
            if (get) {
                a = operations.settings(host);
            } else if (req.getMethod().equals("PUT")) {
                a = operations.put(req.getRemoteUser(), host, AlertsResource.body(req));
                if (a.status() == HttpServletResponse.SC_OK) {
                    audit.record(req, "settings", host, String.valueOf(a.body()));
                }
            } else if (req.getMethod().equals("DELETE")) {
                a = operations.clear(req.getRemoteUser(), host);
                if (a.status() == HttpServletResponse.SC_NO_CONTENT) {
                    audit.record(req, "settings removed", host, "");
                }
            } else {
                Api.methodNotAllowed(resp, "GET, PUT, DELETE");
                return;
            }
            write(a, resp);
        } catch (IllegalArgumentException e) {
            Api.error(resp, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        }
    }

    private static void write(Answer a, HttpServletResponse resp) throws IOException {
        if (a.status() == HttpServletResponse.SC_NO_CONTENT) {
            resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } else {
            a.write(resp);
        }
    }

    private PluginValues values(HttpServletResponse resp) throws IOException {
        PluginValues v = values;
        if (v == null) {
            Api.error(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "plugin values are unavailable: the history bundle (hb.server.history) is not running");
        }
        return v;
    }

    private void plugins(String host, HttpServletResponse resp) throws IOException {
        PluginValues v = values(resp);
        if (v == null) {
            return;
        }
        Instant now = Instant.now();
        Map<String, Views.Plugin> out = new LinkedHashMap<>();
        v.plugins(host).forEach((name, state) -> out.put(name, Views.Plugin.of(state, now)));
        Api.json(resp, HttpServletResponse.SC_OK, new Views.Plugins(host, out));
    }

    private void plugin(String host, String plugin, HttpServletResponse resp) throws IOException {
        PluginValues v = values(resp);
        if (v == null) {
            return;
        }
        PluginState state = v.plugins(host).get(plugin);
        if (state == null) {
            Api.error(resp, HttpServletResponse.SC_NOT_FOUND, "host \"" + host + "\" has no plugin \"" + plugin + "\"");
            return;
        }
        Api.json(resp, HttpServletResponse.SC_OK, new Views.OnePlugin(host, plugin, Views.Plugin.of(state,
                Instant.now())));
    }

    private void history(String host, String plugin, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        PluginValues v = values(resp);
        if (v == null) {
            return;
        }
        Instant now = Instant.now();
        String metricText = req.getParameter("metric");
        if (metricText == null || metricText.isEmpty()) {
            Api.error(resp, HttpServletResponse.SC_BAD_REQUEST, "metric: required, a JSON pointer such as "
                    + "/cpu_percent" + known(v, host, plugin, "; this plugin has "));
            return;
        }
        MetricPath metric;
        Instant since;
        Instant until;
        Duration step;
        try {
            metric = MetricPath.parse(metricText);
            since = Params.time("since", req.getParameter("since"), now, now.minus(Duration.ofHours(1)));
            until = Params.time("until", req.getParameter("until"), now, now);
            step = Params.step(req.getParameter("step"));
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            Api.error(resp, HttpServletResponse.SC_BAD_REQUEST, message.startsWith("since") || message.startsWith(
                    "until") || message.startsWith("step") ? message : "metric: " + message);
            return;
        }
        if (since.isAfter(until)) {
            Api.error(resp, HttpServletResponse.SC_BAD_REQUEST, "since: must not be after until");
            return;
        }
        Optional<List<HistoryPoint>> found = v.history(host, plugin, metric, since, until, MAX_POINTS + 1);
        if (found.isEmpty()) {
            Api.error(resp, HttpServletResponse.SC_NOT_FOUND, "no history of metric " + metric + " of plugin \""
                    + plugin + "\" of host \"" + host + "\"" + known(v, host, plugin, "; it has "));
            return;
        }
        List<HistoryPoint> points = found.get();
        boolean truncated = points.size() > MAX_POINTS;
        List<HistoryPoint> shown = truncated ? points.subList(0, MAX_POINTS) : points;
        List<HistoryPoint> out = step == null ? shown : Views.resample(shown, step);
        Api.json(resp, HttpServletResponse.SC_OK, new Views.History(host, plugin, metric.toString(), Api.time(since),
                Api.time(until), step == null ? null : Api.seconds(step), truncated,
                out.stream().map(Views.Point::of).toList()));
    }

    private static String known(PluginValues v, String host, String plugin, String lead) {
        List<MetricPath> metrics = v.metrics(host, plugin);
        if (metrics.isEmpty()) {
            return "";
        }
        int shown = Math.min(metrics.size(), 20);
        StringBuilder s = new StringBuilder(lead);
        for (int i = 0; i < shown; i++) {
            s.append(i == 0 ? "" : ", ").append(metrics.get(i));
        }
        return s.append(shown < metrics.size() ? ", ..." : "").toString();
    }

    /** A path segment as a URL needs it. */
    static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
