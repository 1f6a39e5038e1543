package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.heartbeat.api.MetricPath;
import org.heartbeat.server.api.HostDirectory;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.HostView;
import org.heartbeat.server.api.ListenerStatus;
import org.heartbeat.server.api.ServerStatus;
import org.heartbeat.server.api.plugin.PluginState;
import org.heartbeat.server.api.plugin.PluginValues;
import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
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
 * {@code GET /metrics}: hosts and plugin values in the Prometheus text exposition format (version 0.0.4), so
 * that Prometheus, or anything that scrapes it, can keep them for the long term. Every numeric plugin value
 * is one sample of the gauge {@code heartbeat_plugin_value}, labelled with {@code host}, {@code plugin} and
 * {@code metric}, the value's JSON pointer: mount points and interface names make poor metric names, and one
 * name keeps queries such as {@code heartbeat_plugin_value{metric=~"/partitions/.+/percent"}} simple.
 * Booleans are 1 and 0; values not refreshed within three plugin intervals are left out, as Prometheus expects
 * of a target that stopped reporting them. Listeners of events and samples report how far behind they are and
 * whether they are stalled. The names are documented in docs/HTTP_API.md.
 *
 * <p>An admin, and anyone when no users are configured or {@code metrics_public} is set, reads everything. A user
 * who is no admin reads the series of the hosts they own, the alerts of those hosts and the health of their own
 * notification channels; the server's own series (datagrams, listeners) are left out for them.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/metrics")
@HttpWhiteboardTarget(Api.TARGET)
public final class MetricsResource extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient HostDirectory hosts;
    private final transient ServerStatus server;
    private final transient UserDirectory users;
    private final transient Access access;

    private transient volatile PluginValues values;
    private transient volatile org.heartbeat.server.api.alert.Alerts alerts;
    private transient volatile org.heartbeat.server.api.notify.Outbox outbox;

    @Activate
    public MetricsResource(@Reference HostDirectory hosts, @Reference ServerStatus server,
            @Reference UserDirectory users) {
        this.hosts = hosts;
        this.server = server;
        this.users = users;
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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindAlerts(org.heartbeat.server.api.alert.Alerts a) {
        this.alerts = a;
    }

    void unbindAlerts(org.heartbeat.server.api.alert.Alerts a) {
        if (this.alerts == a) {
            this.alerts = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindOutbox(org.heartbeat.server.api.notify.Outbox o) {
        this.outbox = o;
    }

    void unbindOutbox(org.heartbeat.server.api.notify.Outbox o) {
        if (this.outbox == o) {
            this.outbox = null;
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException,
            jakarta.servlet.ServletException {
        if (req.getMethod().equals("GET") || req.getMethod().equals("HEAD")) {
            super.service(req, resp);
        } else {
            Api.methodNotAllowed(resp, "GET");
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        PrintWriter out = resp.getWriter();
        PluginValues v = values;
        Map<String, Map<String, PluginState>> plugins = v == null ? Map.of() : v.all();
        org.heartbeat.server.api.alert.Alerts a = alerts;
        org.heartbeat.server.api.notify.Outbox o = outbox;
        List<org.heartbeat.server.api.alert.Alert> active = a == null ? null : a.active();
        List<org.heartbeat.server.api.notify.ChannelStatus> channels = o == null ? null : o.channels();
        String name = req.getRemoteUser();
        // no remote user: the gate let the request through unauthenticated (no users, or metrics_public)
        if (name == null || access.admin(name)) {
            write(out, hosts.hosts(), plugins, server.datagrams(), server.listeners(), Instant.now());
            writeNotifications(out, active, channels);
        } else {
            List<String> own = users.user(name).map(User::channels).orElse(List.of());
            write(out, hosts.hosts().stream().filter(h -> access.mayAct(name, h.name())).toList(),
                    plugins.entrySet().stream().filter(e -> access.mayAct(name, e.getKey()))
                            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                    null, null, Instant.now());
            writeNotifications(out, active == null ? null
                    : active.stream().filter(x -> access.mayAct(name, x.host())).toList(),
                    channels == null ? null : channels.stream().filter(c -> own.contains(c.name())).toList());
        }
        out.flush();
    }

    /**
     * The hosts' and plugins' series, then the server's own ({@code counters} and {@code listeners}), which are
     * left out when null.
     */
    static void write(PrintWriter out, List<HostView> hosts, Map<String, Map<String, PluginState>> plugins,
            Map<String, Long> counters, List<ListenerStatus> listeners, Instant now) {
        family(out, "heartbeat_host_up", "gauge", "1 when the host's heartbeats arrive on time, else 0");
        for (HostView h : hosts) {
            sample(out, "heartbeat_host_up", h.status() == HostStatus.UP ? 1 : 0, "host", h.name());
        }
        family(out, "heartbeat_host_overdue", "gauge", "1 when nothing arrived within interval plus grace, else 0");
        for (HostView h : hosts) {
            sample(out, "heartbeat_host_overdue", h.status() == HostStatus.OVERDUE ? 1 : 0, "host", h.name());
        }
        family(out, "heartbeat_host_last_heartbeat_timestamp_seconds", "gauge",
                "When the last heartbeat arrived, Unix time");
        for (HostView h : hosts) {
            h.lastSeen().ifPresent(t -> sample(out, "heartbeat_host_last_heartbeat_timestamp_seconds",
                    t.toEpochMilli() / 1000.0, "host", h.name()));
        }
        family(out, "heartbeat_host_interval_seconds", "gauge", "The heartbeat interval in force");
        for (HostView h : hosts) {
            sample(out, "heartbeat_host_interval_seconds", h.interval().toMillis() / 1000.0, "host", h.name());
        }
        family(out, "heartbeat_host_rtt_seconds", "gauge", "The last round-trip time the client measured");
        for (HostView h : hosts) {
            h.rtt().ifPresent(rtt -> sample(out, "heartbeat_host_rtt_seconds", rtt.toNanos() / 1e9, "host",
                    h.name()));
        }
        family(out, "heartbeat_host_heartbeats_total", "counter", "Heartbeats received since the host was first seen");
        for (HostView h : hosts) {
            sample(out, "heartbeat_host_heartbeats_total", h.heartbeats(), "host", h.name());
        }

        family(out, "heartbeat_plugin_value", "gauge",
                "Every numeric plugin value (booleans as 1 and 0); label metric is its JSON pointer");
        plugins.forEach((host, byPlugin) -> byPlugin.forEach((plugin, s) -> {
            if (s.status(now) == PluginState.Status.OK && s.values().isPresent()) {
                for (Map.Entry<MetricPath, Object> leaf : s.values().get().leaves().entrySet()) {
                    Object v = leaf.getValue();
                    double d;
                    if (v instanceof Number n) {
                        d = n.doubleValue();
                    } else if (v instanceof Boolean b) {
                        d = b ? 1 : 0;
                    } else {
                        continue;
                    }
                    sample(out, "heartbeat_plugin_value", d, "host", host, "plugin", plugin, "metric",
                            leaf.getKey().toString());
                }
            }
        }));
        family(out, "heartbeat_plugin_sample_timestamp_seconds", "gauge", "When the plugin's last sample arrived");
        plugins.forEach((host, byPlugin) -> byPlugin.forEach((plugin, s) -> {
            s.received().ifPresent(t -> sample(out, "heartbeat_plugin_sample_timestamp_seconds",
                    t.toEpochMilli() / 1000.0, "host", host, "plugin", plugin));
        }));
        family(out, "heartbeat_plugin_failing", "gauge", "1 when the plugin's last report was an error, else 0");
        plugins.forEach((host, byPlugin) -> byPlugin.forEach((plugin, s) -> sample(out, "heartbeat_plugin_failing",
                s.status(now) == PluginState.Status.FAILING ? 1 : 0, "host", host, "plugin", plugin)));

        if (counters == null || listeners == null) {
            return;
        }
        family(out, "heartbeat_udp_datagrams_total", "counter",
                "Datagrams the server received, answered and dropped, by outcome");
        counters.forEach((what, n) -> sample(out, "heartbeat_udp_datagrams_total", n, "outcome", what));

        family(out, "heartbeat_listener_behind", "gauge",
                "Events or samples waiting for a listener (each listener has its own delivery thread)");
        for (ListenerStatus l : listeners) {
            sample(out, "heartbeat_listener_behind", l.behind(), "listener", l.name(), "kind", kind(l));
        }
        family(out, "heartbeat_listener_stalled", "gauge", "1 while a listener is in one call for more than 10 s");
        for (ListenerStatus l : listeners) {
            sample(out, "heartbeat_listener_stalled", l.stalled(now, StatusResource.STALL) ? 1 : 0, "listener",
                    l.name(), "kind", kind(l));
        }
        family(out, "heartbeat_listener_failures_total", "counter", "Calls of a listener that threw");
        for (ListenerStatus l : listeners) {
            sample(out, "heartbeat_listener_failures_total", l.failures(), "listener", l.name(), "kind", kind(l));
        }
    }

    /**
     * Alerts by kind and severity, and each notification channel's health; a family is left out while its bundle
     * (alerting, the outbox) is not running.
     */
    static void writeNotifications(PrintWriter out, List<org.heartbeat.server.api.alert.Alert> active,
            List<org.heartbeat.server.api.notify.ChannelStatus> channels) {
        if (active != null) {
            family(out, "heartbeat_alerts", "gauge", "Active alerts, by kind and severity");
            Map<String, Integer> counts = new java.util.TreeMap<>();
            for (var a : active) {
                counts.merge(a.kind().name().toLowerCase(java.util.Locale.ROOT) + "\n" + a.severity(), 1,
                        Integer::sum);
            }
            counts.forEach((k, n) -> sample(out, "heartbeat_alerts", n, "kind", k.substring(0, k.indexOf('\n')),
                    "severity", k.substring(k.indexOf('\n') + 1)));
        }
        if (channels != null) {
            family(out, "heartbeat_channel_failing", "gauge",
                    "1 when the channel's last tries failed or no bundle provides its type, else 0");
            for (var c : channels) {
                sample(out, "heartbeat_channel_failing", c.failing() ? 1 : 0, "channel", c.name(), "type", c.type());
            }
            family(out, "heartbeat_channel_pending", "gauge", "Notifications waiting for the channel");
            for (var c : channels) {
                sample(out, "heartbeat_channel_pending", c.pending(), "channel", c.name(), "type", c.type());
            }
        }
    }

    private static String kind(ListenerStatus l) {
        return l.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void family(PrintWriter out, String name, String type, String help) {
        out.print("# HELP ");
        out.print(name);
        out.print(' ');
        out.print(help);
        out.print("\n# TYPE ");
        out.print(name);
        out.print(' ');
        out.print(type);
        out.print('\n');
    }

    private static void sample(PrintWriter out, String name, double value, String... labels) {
        out.print(name);
        out.print('{');
        for (int i = 0; i < labels.length; i += 2) {
            if (i > 0) {
                out.print(',');
            }
            out.print(labels[i]);
            out.print("=\"");
            out.print(escape(labels[i + 1]));
            out.print('"');
        }
        out.print("} ");
        out.print(number(value));
        out.print('\n');
    }

    /** A label value with backslash, double quote and line feed escaped, as the format requires. */
    static String escape(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A sample value as people read it: no exponent between 0.0001 and 10^15, no ".0" on whole numbers. */
    static String number(double v) {
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e15) {
            return Long.toString((long) v);
        }
        if (a >= 1e-4 && a < 1e15) {
            return java.math.BigDecimal.valueOf(v).toPlainString();
        }
        return Double.toString(v);
    }
}
