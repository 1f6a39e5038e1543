package org.heartbeat.server.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The dashboard's pages: {@code /live} (every host), {@code /plugins/HOST} (one host: details, graphs, checks,
 * alerts) and {@code /alerts} (active alerts, acknowledge and silence). Each is a static HTML file of this bundle
 * that loads its script and styles from {@code /static/} ({@link StaticServlet}) and reads the JSON API from the
 * browser, so the pages work under {@code Content-Security-Policy: default-src 'self'} and need no build step.
 *
 * <p>Called by the HTTP Whiteboard on its request threads, concurrently; it holds only the pages, read once when
 * the class loads. A page missing from the bundle fails the component's activation (a packaging mistake).
 * Links inside a page are relative ({@code BASE} is replaced by {@code ""} or {@code "../"}), so the pages also
 * work under a reverse proxy's base path.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/live", "/alerts", "/plugins/*"})
@HttpWhiteboardTarget("(org.apache.felix.http.name=hbd)")
public final class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** What the pages may do: everything from this origin only, and never be framed. */
    static final String CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'; object-src 'none'";
    private static final String UPLOT = "uplot/" + StaticServlet.text("static/uplot/version.txt").strip();
    private static final String LIVE = page("live.html");
    private static final String HOST = page("host.html");
    private static final String ALERTS = page("alerts.html");

    private static String page(String name) {
        try (InputStream in = PageServlet.class.getClassLoader().getResourceAsStream("pages/" + name)) {
            if (in == null) {
                throw new IllegalStateException("pages/" + name + " is missing from the bundle hb.server.web");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("UPLOT/", UPLOT + "/");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read pages/" + name + " from the bundle hb.server.web", e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        String html;
        if (path.equals("/live")) {
            html = LIVE.replace("BASE/", "");
        } else if (path.equals("/alerts")) {
            html = ALERTS.replace("BASE/", "");
        } else if (path.startsWith("/plugins/") && path.length() > "/plugins/".length()
                && path.indexOf('/', "/plugins/".length()) < 0) {
            // one segment: the host name, percent-encoded; the page's script reads it from its address
            html = HOST.replace("BASE/", "../");
        } else {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND,
                    "no page here: the host's page is /plugins/NAME, with the name percent-encoded");
            return;
        }
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        resp.setContentType("text/html");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "same-origin");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
