package org.heartbeat.server.web.internal;

import java.io.IOException;
import java.io.InputStream;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /live}: every host with its status, last heartbeat, RTT, interval and address, refreshed every
 * two seconds from {@code /api/hosts}. One static page without a build step; the full dashboard (graphs,
 * WebSocket updates, alerts) replaces it in a later release.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/live")
@HttpWhiteboardTarget("(org.apache.felix.http.name=hbd)")
public final class LiveServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] PAGE = load();

    private static byte[] load() {
        try (InputStream in = LiveServlet.class.getResourceAsStream("live.html")) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("live.html missing from the bundle", e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/html");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("Content-Security-Policy",
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentLength(PAGE.length);
        resp.getOutputStream().write(PAGE);
    }
}
