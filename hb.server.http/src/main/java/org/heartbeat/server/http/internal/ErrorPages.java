package org.heartbeat.server.http.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletErrorPage;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The errors the servlet container itself answers (a request it cannot parse, a servlet that failed), written
 * the way Heartbeat writes errors instead of Jetty's page: JSON under {@code /api/}, HTML elsewhere.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletErrorPage(errorPage = {"4xx", "5xx"})
@HttpWhiteboardTarget(Api.TARGET)
public final class ErrorPages extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Object message = req.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        int status = code instanceof Integer i ? i : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        String path = uri == null ? "" : uri.toString().substring(Math.min(req.getContextPath().length(),
                uri.toString().length()));
        String text = message == null || message.toString().isBlank() ? reason(status) : message.toString();
        Pages.error(resp, path, status, text);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 413 -> "request too large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "server error (see the log)" : "request refused";
        };
    }
}
