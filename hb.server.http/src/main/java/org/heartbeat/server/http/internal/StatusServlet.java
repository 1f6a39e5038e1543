package org.heartbeat.server.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.EnumMap;
import java.util.Map;

import org.osgi.framework.BundleContext;
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
 * {@code GET /api/status}: the server itself: version, start time, the UDP port really bound, how many
 * hosts are in each status, the datagram counters (received, answered, dropped by reason) and the state of
 * the plugin history.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/status")
@HttpWhiteboardTarget(Api.TARGET)
public final class StatusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient HostRegistry registry;
    private final transient UdpReceiver udp;
    private final transient MetricStore metrics;
    private final String version;

    @Activate
    public StatusServlet(BundleContext context, @Reference HostRegistry registry, @Reference UdpReceiver udp,
            @Reference MetricStore metrics) {
        this.registry = registry;
        this.udp = udp;
        this.metrics = metrics;
        this.version = context.getBundle().getVersion().toString();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<HostStatus, Integer> counts = new EnumMap<>(HostStatus.class);
        for (HostStatus s : HostStatus.values()) {
            counts.put(s, 0);
        }
        registry.hosts().forEach(h -> counts.merge(h.status(), 1, Integer::sum));
        long started = ManagementFactory.getRuntimeMXBean().getStartTime();
        Map<String, Long> counters = udp.counters();
        Map<String, Object> history = metrics.status();
        Api.json(resp, HttpServletResponse.SC_OK, g -> {
            g.writeStartObject();
            g.writeStringField("version", version);
            Api.time(g, "started", started);
            g.writeNumberField("uptime_s", (System.currentTimeMillis() - started) / 1000);
            g.writeNumberField("udp_port", udp.port());
            g.writeObjectFieldStart("hosts");
            g.writeNumberField("total", registry.size());
            for (Map.Entry<HostStatus, Integer> e : counts.entrySet()) {
                g.writeNumberField(e.getKey().word(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("datagrams");
            for (Map.Entry<String, Long> e : counters.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("history");
            for (Map.Entry<String, Object> e : history.entrySet()) {
                if (e.getValue() instanceof Long n) {
                    g.writeNumberField(e.getKey(), n);
                } else {
                    g.writeStringField(e.getKey(), (String) e.getValue());
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
