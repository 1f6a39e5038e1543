package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import org.heartbeat.server.api.HostDirectory;
import org.heartbeat.server.api.HostStatus;
import org.heartbeat.server.api.ServerStatus;
import org.heartbeat.server.api.StatusSource;
import org.heartbeat.server.api.event.EventJournal;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.condition.Condition;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/status}: the server itself: version, whether it is starting or ready, uptime, the UDP port, how
 * many hosts are in each status, the datagram counters, every listener with how far behind it is, the journal, the
 * runtime's bundles, and the sections other bundles contribute ({@link StatusSource}, such as {@code history}).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/status")
@HttpWhiteboardTarget(Api.TARGET)
public final class StatusResource extends HttpServlet {
    /** A listener in one call for longer than this is reported as stalled. */
    static final Duration STALL = Duration.ofSeconds(10);

    private static final long serialVersionUID = 1L;

    private final transient HostDirectory hosts;
    private final transient ServerStatus server;
    private final transient EventJournal journal;
    private final transient Logger log;
    private final String version;
    private final transient BundleContext context;
    private final transient Map<String, StatusSource> sections = new ConcurrentSkipListMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(" + Condition.CONDITION_ID + "=" + org.heartbeat.runtime.Launch.READY_CONDITION + ")")
    private transient volatile Condition ready;

    /** The phase and uptime of the server, and the counts of hosts by status. */
    record Hosts(int total, int up, int overdue, int unknown) {
    }

    /** A bundle of the runtime: its symbolic name, version and state ({@code active}, {@code resolved}, ...). */
    record BundleView(String symbolicName, String version, String state) {
        static BundleView of(Bundle b) {
            String state = switch (b.getState()) {
                case Bundle.ACTIVE -> "active";
                case Bundle.RESOLVED -> "resolved";
                case Bundle.INSTALLED -> "installed";
                case Bundle.STARTING -> "starting";
                case Bundle.STOPPING -> "stopping";
                default -> "uninstalled";
            };
            return new BundleView(b.getSymbolicName(), b.getVersion().toString(), state);
        }
    }

    @Activate
    public StatusResource(BundleContext context, @Reference HostDirectory hosts, @Reference ServerStatus server,
            @Reference EventJournal journal, @Reference(service = LoggerFactory.class) Logger log) {
        this.hosts = hosts;
        this.server = server;
        this.journal = journal;
        this.log = log;
        this.version = context.getBundle().getVersion().toString();
        this.context = context;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSection(StatusSource source, Map<String, Object> properties) {
        Object name = properties.get(StatusSource.SECTION);
        if (name != null) {
            sections.put(name.toString(), source);
        }
    }

    void removeSection(StatusSource source, Map<String, Object> properties) {
        Object name = properties.get(StatusSource.SECTION);
        if (name != null) {
            sections.remove(name.toString(), source);
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
            Api.methodNotAllowed(resp, "GET");
            return;
        }
        Api.json(resp, HttpServletResponse.SC_OK, status(Instant.now()));
    }

    Map<String, Object> status(Instant now) {
        Map<HostStatus, Integer> counts = hosts.counts();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", version);
        out.put("phase", ready == null ? "starting" : "ready");
        out.put("started", Api.time(server.started()));
        out.put("uptime_s", Duration.between(server.started(), now).toSeconds());
        out.put("udp_port", server.udpPort());
        out.put("hosts", new Hosts(hosts.size(), counts.get(HostStatus.UP), counts.get(HostStatus.OVERDUE),
                counts.get(HostStatus.UNKNOWN)));
        out.put("datagrams", server.datagrams());
        List<Views.Listener> listeners = server.listeners().stream().map(l -> Views.Listener.of(l, now, STALL))
                .toList();
        out.put("listeners", listeners);
        out.put("events", Map.of("last_id", journal.lastId()));
        out.put("bundles", java.util.Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName() != null)
                .map(BundleView::of).toList());
        sections.forEach((name, source) -> {
            try {
                out.put(name, source.status());
            } catch (RuntimeException e) {
                log.warn("status section {} failed: {}", name, e.toString());
            }
        });
        return out;
    }
}
