package org.heartbeat.server.http.internal;

import java.io.IOException;

import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;
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
 * {@code GET /api/whoami}: who the request is, for the pages' banner and their state-changing requests:
 * {@code {"user": "alice", "admin": true, "users_configured": true, "csrf": "..."}}. {@code user} is null and
 * {@code csrf} too without users configured (the pages are then read-only); {@code csrf} is the session's CSRF token
 * when a browser session authenticated the request, else null (Basic and Bearer need none). Called on the HTTP
 * threads; the {@link AccessGate} has authenticated the request before.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/whoami")
@HttpWhiteboardTarget(Api.TARGET)
public final class WhoamiResource extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient UserDirectory users;

    record Whoami(String user, boolean admin, boolean usersConfigured, String csrf) {
        @Override
        public String toString() {
            return "Whoami[" + user + (admin ? ", admin" : "") + "]";
        }
    }

    @Activate
    public WhoamiResource(@Reference UserDirectory users) {
        this.users = users;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Api.json(resp, 200, of(req, users));
    }

    static Whoami of(HttpServletRequest req, UserDirectory users) {
        String name = req.getRemoteUser();
        boolean admin = name != null && users.user(name).map(User::admin).orElse(false);
        Object session = req.getAttribute(Sessions.ATTRIBUTE);
        String csrf = session instanceof Sessions.Session s && s.user().equals(name) ? s.csrf() : null;
        return new Whoami(name, admin, users.enabled(), csrf);
    }
}
