package org.heartbeat.server.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.heartbeat.protocol.Command;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import com.fasterxml.jackson.core.JsonGenerator;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/hosts}: every tracked host, a JSON array sorted by name. {@code GET /api/hosts/NAME}: one
 * host, or 404. Below it, {@code /plugins}, {@code /plugins/PLUGIN} and {@code /plugins/PLUGIN/history}
 * ({@link PluginsResource}). Fields are documented in docs/HTTP_API.md.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/hosts", "/api/hosts/*"})
@HttpWhiteboardTarget(Api.TARGET)
public final class HostsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient HostRegistry registry;
    private final transient PluginsResource plugins;

    @Activate
    public HostsServlet(@Reference HostRegistry registry, @Reference MetricStore metrics) {
        this.registry = registry;
        this.plugins = new PluginsResource(metrics);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        if (req.getServletPath().equals("/api/hosts") && (path == null || path.equals("/"))) {
            List<HostSnapshot> hosts = registry.hosts();
            Api.json(resp, HttpServletResponse.SC_OK, g -> {
                g.writeStartArray();
                for (HostSnapshot h : hosts) {
                    write(g, h);
                }
                g.writeEndArray();
            });
            return;
        }
        String[] segments = path.substring(1).split("/", -1);
        String name = segments[0];
        Optional<HostSnapshot> host = registry.host(name);
        if (host.isEmpty()) {
            Api.error(resp, HttpServletResponse.SC_NOT_FOUND, "no host named \"" + name + "\"");
            return;
        }
        if (segments.length == 1) {
            Api.json(resp, HttpServletResponse.SC_OK, g -> write(g, host.get()));
        } else if (segments.length == 2 && segments[1].equals("plugins")) {
            plugins.all(name, resp);
        } else if (segments.length == 3 && segments[1].equals("plugins")) {
            plugins.one(name, segments[2], resp);
        } else if (segments.length == 4 && segments[1].equals("plugins") && segments[3].equals("history")) {
            plugins.history(name, segments[2], req, resp);
        } else {
            Api.error(resp, HttpServletResponse.SC_NOT_FOUND, "no such resource: " + req.getRequestURI()
                    + " (see docs/HTTP_API.md)");
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

    static void write(JsonGenerator g, HostSnapshot h) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", h.name());
        g.writeStringField("status", h.status().word());
        Api.time(g, "last_seen", h.lastSeenMillis());
        Api.seconds(g, "interval", h.intervalMillis());
        Api.seconds(g, "grace", h.graceMillis());
        if (h.rttMicros() < 0) {
            g.writeNullField("rtt_ms");
        } else {
            g.writeNumberField("rtt_ms", Api.millis(h.rttMicros()));
        }
        g.writeStringField("address", h.address());
        Api.time(g, "first_seen", h.firstSeenMillis());
        Api.time(g, "overdue_since", h.overdueSinceMillis());
        Api.time(g, "boot_time", h.bootTimeMillis());
        Api.time(g, "last_boot", h.lastBootMillis());
        if (h.announcedIntervalMillis() > 0) {
            Api.seconds(g, "announced_interval", h.announcedIntervalMillis());
        } else {
            g.writeNullField("announced_interval");
        }
        g.writeBooleanField("configured", h.configured());
        g.writeBooleanField("authenticated", h.authenticated());
        g.writeNumberField("heartbeats", h.heartbeats());
        g.writeArrayFieldStart("rtt_history_ms");
        for (int rtt : h.rttHistoryMicros()) {
            g.writeNumber(Api.millis(rtt));
        }
        g.writeEndArray();
        g.writeStringField("conflict", h.conflict());
        g.writeArrayFieldStart("pending_commands");
        for (Command c : h.pendingCommands()) {
            g.writeStartObject();
            g.writeNumberField("id", c.id());
            g.writeStringField("name", c.name());
            g.writeStringField("argument", c.argument());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
