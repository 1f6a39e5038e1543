package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Hosts may be called {@code .} or {@code ..}. The servlet container resolves such segments before it picks a
 * servlet, so {@code /api/hosts/%2E%2E/events} would reach {@code /api/events}; the resources themselves read the
 * path as sent. This preprocessor hands a request whose path names such a host straight to the resource its path
 * names.
 */
@Component(service = Preprocessor.class)
@HttpWhiteboardTarget(Api.TARGET)
public final class DotSegments implements Preprocessor {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(component.name=org.heartbeat.server.http.internal.HostsResource)")
    private volatile Servlet hosts;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(component.name=org.heartbeat.server.http.internal.CheckResource)")
    private volatile Servlet check;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        String raw = req.getRequestURI().substring(req.getContextPath().length());
        Servlet target = raw.startsWith(HostsResource.PREFIX + "/") ? hosts
                : raw.startsWith(CheckResource.PREFIX + "/") ? check : null;
        if (target != null && hasDotSegment(raw)) {
            target.service(request, response);
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean hasDotSegment(String rawPath) {
        try {
            List<String> segments = Route.segments(rawPath, "");
            return segments.contains(".") || segments.contains("..");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
