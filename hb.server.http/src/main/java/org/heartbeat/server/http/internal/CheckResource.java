package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.heartbeat.server.api.HostDirectory;
import org.heartbeat.server.api.HostView;
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
 * {@code GET /api/check/HOST?plugin=&metric=&warning=&critical=}: {@code hbd check} over HTTP, so that Nagios's
 * {@code check_http} or {@code check_curl} can ask without starting a JVM. The body is the plugin output
 * ({@code HEARTBEAT OK - web1 is up ... | perfdata}); the state is in the {@value #STATE_HEADER} header (0 to 3) and
 * in the status code as those checks read it: 200 OK, 409 WARNING (a 4xx: they say WARNING), 503 CRITICAL and 500
 * UNKNOWN (a 5xx: they say CRITICAL). docs/NAGIOS_INTEGRATION.md shows the command definitions. A user who is no
 * admin checks the hosts they own; another host is unknown to them, as everywhere in the API ({@link Access}).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(CheckResource.PREFIX + "/*")
@HttpWhiteboardTarget(Api.TARGET)
public final class CheckResource extends HttpServlet {
    static final String PREFIX = "/api/check";
    /** Response header: the Nagios state, 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
    static final String STATE_HEADER = "X-Nagios-State";
    private static final int[] STATUS = {200, 409, 503, 500};
    private static final long serialVersionUID = 1L;
    private static final Route HOST = Route.of("{host}");

    private final transient HostDirectory hosts;
    private final transient Access access;

    private transient volatile PluginValues values;

    @Activate
    public CheckResource(@Reference HostDirectory hosts, @Reference UserDirectory users) {
        this.hosts = hosts;
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
        NagiosCheck.Result result;
        if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
            resp.setHeader("Allow", "GET");
            result = NagiosCheck.unknown("method not allowed; /api/check takes GET");
        } else {
            result = check(req);
        }
        resp.setStatus(STATUS[result.state()]);
        resp.setHeader(STATE_HEADER, Integer.toString(result.state()));
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("text/plain; charset=utf-8");
        resp.getWriter().println(result.line());
    }

    private NagiosCheck.Result check(HttpServletRequest req) {
        Optional<Map<String, String>> match;
        try {
            match = HOST.match(Route.segments(req.getRequestURI().substring(req.getContextPath().length()), PREFIX));
        } catch (IllegalArgumentException e) {
            return NagiosCheck.unknown("a malformed path: " + e.getMessage());
        }
        if (match.isEmpty()) {
            return NagiosCheck.unknown("usage: /api/check/HOST[?plugin=P[&metric=POINTER&warning=RANGE&critical=RANGE]]");
        }
        String name = match.get().get("host");
        if (!access.mayAct(req.getRemoteUser(), name)) {
            return NagiosCheck.unknown("hbd does not know host " + name);
        }
        return check(name, req.getParameter("plugin"), req.getParameter("metric"),
                req.getParameter("warning"), req.getParameter("critical"), Instant.now());
    }

    /** What {@code hbd check} answers for these parameters. */
    NagiosCheck.Result check(String name, String plugin, String metric, String warning, String critical, Instant now) {
        NagiosRange w;
        NagiosRange c;
        try {
            w = warning == null || warning.isEmpty() ? null : NagiosRange.parse(warning);
            c = critical == null || critical.isEmpty() ? null : NagiosRange.parse(critical);
        } catch (IllegalArgumentException e) {
            return NagiosCheck.unknown(e.getMessage());
        }
        boolean hasMetric = metric != null && !metric.isEmpty();
        boolean hasPlugin = plugin != null && !plugin.isEmpty();
        if ((w != null || c != null) && !hasMetric) {
            return NagiosCheck.unknown("warning and critical need a metric");
        }
        if (hasMetric && !hasPlugin) {
            return NagiosCheck.unknown("a metric needs a plugin");
        }
        if (hasMetric && !metric.startsWith("/")) {
            return NagiosCheck.unknown("metric: a JSON pointer starts with \"/\", such as /cpu_percent");
        }
        Optional<HostView> host = hosts.host(name);
        if (host.isEmpty()) {
            return NagiosCheck.unknown("hbd does not know host " + name);
        }
        if (!hasPlugin) {
            return NagiosCheck.host(Api.JSON.valueToTree(Views.Host.of(host.get())), now);
        }
        PluginValues v = values;
        if (v == null) {
            return NagiosCheck.unknown("plugin values are unavailable: the history bundle is not running");
        }
        Map<String, PluginState> plugins = v.plugins(name);
        PluginState state = plugins.get(plugin);
        if (state == null) {
            List<String> names = List.copyOf(plugins.keySet());
            return NagiosCheck.unknown(name + " has no plugin " + plugin + (names.isEmpty()
                    ? " (no plugin reports for it)" : " (it has " + String.join(", ", names) + ")"));
        }
        return NagiosCheck.plugin(name, plugin, Api.JSON.valueToTree(Views.Plugin.of(state, now)), now,
                hasMetric ? metric : null, w, c);
    }
}
