package org.heartbeat.server.live.internal;

import java.io.IOException;
import java.util.Map;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.heartbeat.runtime.Launch;
import org.heartbeat.server.api.user.SessionDirectory;
import org.heartbeat.server.api.user.UserDirectory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.condition.Condition;
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

    /**
     * hbd's readiness (hb.server.http registers it once both ports are bound): its properties name the ports really
     * bound, among them {@code hbd_port}, whose pages may connect here. Before it, no page is served anyway.
     */
    @Reference(service = Condition.class, target = "(" + Condition.CONDITION_ID + "=" + Launch.READY_CONDITION + ")",
            cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile Map<String, Object> ready;

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

    /** The port of hbd's pages ({@code hbd_port} as bound), or -1 before hbd is ready. */
    private int pagesPort() {
        Map<String, Object> r = ready;
        return r != null && r.get(Launch.HTTP_PORT) instanceof Integer port ? port : -1;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (LiveServlets.admit(req, resp, users, sessions, pagesPort())) {
            super.service(req, resp);
        }
    }
}
