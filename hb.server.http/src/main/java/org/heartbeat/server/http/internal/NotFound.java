package org.heartbeat.server.http.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers every path no other resource claims: the API's JSON 404 under {@code /api/}, Heartbeat's own page
 * elsewhere (the whiteboard's default servlet, {@code /}, matches only what nothing else matches).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/*", "/"})
@HttpWhiteboardTarget(Api.TARGET)
public final class NotFound extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (path.equals("/") && req.getMethod().equals("GET")) {
            // a path, not a URL: behind a proxy the browser's host is not the one this request came to
            resp.setStatus(HttpServletResponse.SC_FOUND);
            resp.setHeader("Location", ForwardedHeaders.base(req) + req.getContextPath() + "/live");
            return;
        }
        Pages.error(resp, path, HttpServletResponse.SC_NOT_FOUND, "no such " + (Pages.isApi(path) ? "resource" : "page")
                + ": " + path + (Pages.isApi(path) ? " (see docs/HTTP_API.md)" : ""));
    }
}
