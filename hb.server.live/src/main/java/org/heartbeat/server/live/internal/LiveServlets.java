package org.heartbeat.server.live.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServerContainer;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.heartbeat.server.api.user.SessionDirectory;
import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What the two live servlets ({@link WsPortServlet} on {@code ws_port}, {@link MainPortServlet} at {@code /ws} on
 * {@code hbd_port}) share. Each must extend Jetty's {@code JettyWebSocketServlet} directly: Felix HTTP recognises
 * WebSocket servlets by their superclass and initialises them on their first request, inside Jetty's context.
 */
final class LiveServlets {
    /** Jetty closes a WebSocket idle for this long; the hub pings well within it. */
    static final long IDLE_SECONDS = 60;
    private static final String VIEWER = LiveServlets.class.getName() + ".viewer";
    /** Failed credentials per client address, on both ports together. */
    private static final Attempts ATTEMPTS = new Attempts(System::nanoTime);

    private LiveServlets() {
    }

    /**
     * Sets up Jetty's WebSocket container on the servlet's context (what Jetty's servlet container initializer
     * does), then runs the servlet's own init. The embedded Jetty WebSocket classes find their extensions through
     * ServiceLoader: they are set up with this bundle's class loader as the thread's context class loader.
     */
    static ServletContextHandler init(ServletContext context, ServletAction superInit) throws ServletException {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(LiveServlets.class.getClassLoader());
        try {
            ServletContextHandler handler = ServletContextHandler.getServletContextHandler(context, "live updates");
            // left by an earlier revision of this bundle (its classes are not ours): Jetty would cast them to ours
            clear(handler, context, o -> !ours(o));
            WebSocketServerComponents.ensureWebSocketComponents(handler.getServer(), handler);
            JettyWebSocketServerContainer.ensureContainer(context);
            superInit.run();
            return handler;
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** After the servlet's own destroy: the context keeps none of this bundle's objects, so none of its classes. */
    static void destroy(ServletContextHandler handler, ServletContext context) {
        if (handler != null) {
            clear(handler, context, LiveServlets::ours);
        }
    }

    private static boolean ours(Object o) {
        return o.getClass().getClassLoader() == LiveServlets.class.getClassLoader();
    }

    /** Removes the WebSocket objects of the context that {@code which} names, as attributes and as beans. */
    private static void clear(ServletContextHandler handler, ServletContext context,
            Predicate<Object> which) {
        for (String name : new String[] {WebSocketServerComponents.WEBSOCKET_COMPONENTS_ATTRIBUTE,
                WebSocketMappings.WEBSOCKET_MAPPING_ATTRIBUTE}) {
            Object o = handler.getAttribute(name);
            if (o != null && which.test(o)) {
                handler.removeAttribute(name);
                handler.removeBean(o);
            }
        }
        String name = JettyWebSocketServerContainer.JETTY_WEBSOCKET_CONTAINER_ATTRIBUTE;
        Object o = context.getAttribute(name);
        if (o != null && which.test(o)) {
            context.removeAttribute(name);
            handler.removeBean(o);
        }
    }

    /** A servlet's method that may throw. */
    interface ServletAction {
        void run() throws ServletException;
    }

    static void configure(JettyWebSocketServletFactory factory, LiveHub hub) {
        factory.setIdleTimeout(Duration.ofSeconds(IDLE_SECONDS));
        factory.setMaxTextMessageSize(4096);
        factory.setCreator((req, resp) -> new LiveSocket(hub, viewer(req)));
    }

    private static User viewer(JettyServerUpgradeRequest req) {
        Object v = req.getHttpServletRequest().getAttribute(VIEWER);
        return v instanceof User u ? u : null;
    }

    /**
     * Checks a request before Jetty sees it: true when it is a WebSocket handshake that may go on (the viewer is
     * kept as a request attribute for the socket), else the response is sent here: 426 for a request that is no
     * handshake, the {@link Handshake} refusal otherwise.
     *
     * @param sessions the browser sessions (null while the HTTP API is not running: no cookie is recognised then)
     * @param pagesPort the port of hbd's pages, whose origin may connect besides the port's own; -1 for none
     */
    static boolean admit(HttpServletRequest req, HttpServletResponse resp, UserDirectory users,
            SessionDirectory sessions, int pagesPort) throws IOException {
        String upgrade = req.getHeader("Upgrade");
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            resp.setHeader("Upgrade", "websocket");
            error(resp, 426, "this is hbd's live updates endpoint: connect with a WebSocket (docs/HTTP_API.md, "
                    + "\"Live updates (WebSocket)\")");
            return false;
        }
        Handshake.Verdict v = Handshake.check(req.getHeader("Origin"), req.getHeader("Host"), pagesPort,
                req.getRemoteUser(), req.getHeader("Authorization"), () -> session(req, sessions), users,
                req.getRemoteAddr(), ATTEMPTS);
        if (!v.accepted()) {
            if (v.status() == 401) {
                resp.setHeader("WWW-Authenticate", "Basic realm=\"hbd\"");
            }
            if (v.retryAfter() > 0) {
                resp.setHeader("Retry-After", Integer.toString(v.retryAfter()));
            }
            error(resp, v.status(), v.error());
            return false;
        }
        if (v.user() != null) {
            req.setAttribute(VIEWER, v.user());
        }
        return true;
    }

    /** The user of the request's session cookie, as the HTTP API's session directory knows it. */
    private static Optional<User> session(HttpServletRequest req, SessionDirectory sessions) {
        Cookie[] cookies = req.getCookies();
        if (sessions == null || cookies == null) {
            return Optional.empty();
        }
        for (Cookie c : cookies) {
            if (c.getName().equals(SessionDirectory.COOKIE)) {
                Optional<User> user = sessions.user(c.getValue());
                if (user.isPresent()) {
                    return user;
                }
            }
        }
        return Optional.empty();
    }

    private static void error(HttpServletResponse resp, int status, String message) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(Views.write(new ErrorBody(status, message)));
    }

    record ErrorBody(int status, String error) {
    }
}
