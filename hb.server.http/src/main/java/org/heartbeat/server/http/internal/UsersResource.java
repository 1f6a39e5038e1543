package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.util.List;

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
 * {@code GET /api/users}: the users of {@code users:}, for admins (others get 403): each user's name, whether an
 * admin, and the channels their notifications go to. Never a password, hash or token: {@link User} holds none.
 * Without users configured the API is open and the list is empty. Called on HTTP request threads.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/users")
@HttpWhiteboardTarget(Api.TARGET)
public final class UsersResource extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient UserDirectory users;
    private final transient Access access;

    record UserView(String name, boolean admin, List<String> channels) {
        static UserView of(User u) {
            return new UserView(u.name(), u.admin(), u.channels());
        }
    }

    @Activate
    public UsersResource(@Reference UserDirectory users) {
        this.users = users;
        this.access = new Access(users);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
            Api.methodNotAllowed(resp, "GET");
            return;
        }
        list(req.getRemoteUser()).write(resp);
    }

    Answer list(String remoteUser) {
        if (!access.admin(remoteUser)) {
            return Answer.error(HttpServletResponse.SC_FORBIDDEN, "the list of users is for admins");
        }
        return Answer.ok(users.users().stream().map(UserView::of).toList());
    }
}
