package org.heartbeat.server.live.internal;

import java.io.IOException;
import java.util.Map;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.heartbeat.server.api.user.SessionDirectory;
import org.heartbeat.server.api.user.UserDirectory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardTarget;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The live updates on {@code ws_port} (the Felix HTTP instance {@code ws}), at {@code /} and {@code /ws} alike:
 * every path of that port is this endpoint. {@link LiveServlets} and {@link Handshake} say who may connect. It repeats
 * {@link MainPortServlet} on purpose: with a shared abstract base class between them and
 * {@code JettyWebSocketServlet}, Felix HTTP's Jetty no longer served either endpoint (404), so each extends
 * {@code JettyWebSocketServlet} directly and the common code is in {@link LiveServlets}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/", "/ws"})
@HttpWhiteboardTarget("(org.apache.felix.http.name=ws)")
public final class WsPortServlet extends JettyWebSocketServlet {
    private static final long serialVersionUID = 1L;

    @Reference
    private transient LiveHub hub;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile UserDirectory users;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile SessionDirectory sessions;

    /** The main HTTP instance's runtime: its endpoint names the port of the pages, whose origin may connect. */
    @Reference(service = HttpServiceRuntime.class, target = "(org.apache.felix.http.name=hbd)",
            cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile Map<String, Object> main;

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
        if (LiveServlets.admit(req, resp, users, sessions, LiveServlets.port(main))) {
            super.service(req, resp);
        }
    }
}
