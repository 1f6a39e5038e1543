package org.heartbeat.server.live.internal;

import java.io.IOException;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.heartbeat.server.api.user.SessionDirectory;
import org.heartbeat.server.api.user.UserDirectory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The live updates at {@code /ws} on {@code hbd_port} (the main Felix HTTP instance {@code hbd}), so that a reverse
 * proxy needs one upstream. The main instance's access gate runs first (with users, it lets through only
 * authenticated requests and names their user); {@link LiveServlets} and {@link Handshake} check the rest.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/ws")
@HttpWhiteboardTarget("(org.apache.felix.http.name=hbd)")
public final class MainPortServlet extends JettyWebSocketServlet {
    private static final long serialVersionUID = 1L;

    @Reference
    private transient LiveHub hub;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile UserDirectory users;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile SessionDirectory sessions;

    private transient ServletContextHandler handler;

    @Override
    public void init() throws ServletException {
        handler = LiveServlets.init(getServletContext(), super::init);
    }

    @Override
    public void destroy() {
        super.destroy();
        LiveServlets.destroy(handler, getServletContext());
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        LiveServlets.configure(factory, hub);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (LiveServlets.admit(req, resp, users, sessions, -1)) {
            super.service(req, resp);
        }
    }
}
