package org.heartbeat.server.live.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

import org.heartbeat.server.api.user.User;
import org.heartbeat.server.api.user.UserDirectory;

/**
 * Who may open a live connection. Called by the servlets (LiveServlets) on a Jetty thread for every handshake,
 * before Jetty upgrades the connection; a refusal is answered with the status and message of its {@link Verdict},
 * in the API's error shape, and the connection is never upgraded.
 *
 * <ul>
 * <li>Origin: a browser names the page's origin; it must be the host and port the request came to (its
 * {@code Host} header), or on {@code ws_port} that host with the port of hbd's pages ({@code hbd_port}), else 403:
 * a page of another site, or of another server on the same host, cannot read hbd's state through a visitor's
 * browser. Clients that are not browsers send no Origin and pass this check.</li>
 * <li>Authentication, once {@code users:} has a user: a user already authenticated in front of the servlet (the
 * main HTTP instance's access gate sets the request's remote user), or {@code Authorization: Basic} with a user's
 * password or {@code Bearer} with a token, or the cookie of a browser session begun at the login page; else 401. Without
 * users the connection is anonymous and sees every host; it is read-only in any case. Failed credentials are
 * limited per client address ({@link Attempts}): past the limit, 429 before any password hash is computed.</li>
 * </ul>
 * Without a user directory (it comes from hbd's core) every handshake gets 503: it fails closed.
 */
final class Handshake {
    private Handshake() {
    }

    /**
     * The outcome: status 101 to go on (with the user, null when anonymous), else the refusal (with the seconds for
     * {@code Retry-After} of a 429, else 0).
     */
    record Verdict(int status, String error, User user, int retryAfter) {
        Verdict(int status, String error) {
            this(status, error, null, 0);
        }

        static Verdict accept(User user) {
            return new Verdict(101, null, user, 0);
        }

        boolean accepted() {
            return status == 101;
        }
    }

    /**
     * @param origin the Origin header, or null
     * @param host the Host header, or null
     * @param pagesPort the port of hbd's pages, whose origin may connect to another port of the same host; -1 for
     *        none
     * @param remoteUser the user something in front of the servlet authenticated, or null
     * @param authorization the Authorization header, or null
     * @param session looks up the user of the request's session cookie (empty: none or not valid)
     * @param address the client's address, for {@code attempts}
     * @param attempts failed attempts so far, per address: credentials are not even checked past the limit
     */
    static Verdict check(String origin, String host, int pagesPort, String remoteUser, String authorization,
            SessionLookup session, UserDirectory users, String address, Attempts attempts) {
        String problem = originProblem(origin, host, pagesPort);
        if (problem != null) {
            return new Verdict(403, problem);
        }
        if (users == null) {
            return new Verdict(503, "hbd's user directory is not available; try again in a second", null, 1);
        }
        if (!users.enabled()) {
            return Verdict.accept(null);
        }
        if (remoteUser != null) {
            Optional<User> u = users.user(remoteUser);
            if (u.isPresent()) {
                return Verdict.accept(u.get());
            }
        }
        if (authorization != null) {
            int wait = attempts.wait(address);
            if (wait > 0) {
                return new Verdict(429, "too many failed attempts; try again in " + wait + " s", null, wait);
            }
            Optional<User> u = credentials(authorization, users);
            if (u.isEmpty()) {
                attempts.failed(address);
                return new Verdict(401,
                        "the Authorization header holds no valid user and password (Basic) or token (Bearer)");
            }
            return Verdict.accept(u.get());
        }
        Optional<User> fromSession = session.user();
        if (fromSession.isPresent()) {
            return Verdict.accept(fromSession.get());
        }
        return new Verdict(401, "authentication required: a session, HTTP Basic with a user of users:, or "
                + "Authorization: Bearer TOKEN (hbd token create); see docs/USERS.md");
    }

    /**
     * The user of the request's session cookie. Browsers cannot set Authorization on a WebSocket; they send their
     * cookies, and the session directory of the HTTP API names the user of the session cookie among them.
     */
    interface SessionLookup {
        Optional<User> user();
    }

    private static Optional<User> credentials(String header, UserDirectory users) {
        int space = header.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = header.substring(0, space);
        String value = header.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return value.isEmpty() ? Optional.empty() : users.authenticateToken(value);
        }
        if (!scheme.equalsIgnoreCase("Basic")) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        return colon <= 0 ? Optional.empty()
                : users.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /**
     * Null when the Origin is absent, or names the host and port the request came to, or that host and
     * {@code pagesPort} (-1: none); else why not.
     */
    static String originProblem(String origin, String host, int pagesPort) {
        if (origin == null) {
            return null;
        }
        URI o;
        try {
            o = new URI(origin);
        } catch (URISyntaxException e) {
            return "cross-origin WebSocket handshake refused: the Origin header is not an origin";
        }
        if (o.getScheme() == null || o.getHost() == null || host == null) {
            return "cross-origin WebSocket handshake refused: Origin " + origin + " is not this server";
        }
        int defaultPort = o.getScheme().equalsIgnoreCase("https") || o.getScheme().equalsIgnoreCase("wss") ? 443 : 80;
        int originPort = o.getPort() < 0 ? defaultPort : o.getPort();
        String hostName;
        int hostPort;
        int close = host.startsWith("[") ? host.indexOf(']') : -1;
        int colon = host.indexOf(':', Math.max(close, 0));
        if (colon < 0 || host.startsWith("[") && close < 0) {
            hostName = host;
            hostPort = defaultPort;
        } else {
            hostName = host.substring(0, colon);
            try {
                hostPort = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                return "cross-origin WebSocket handshake refused: the Host header is not host:port";
            }
        }
        if (!hostName.toLowerCase(Locale.ROOT).equals(o.getHost().toLowerCase(Locale.ROOT))
                || hostPort != originPort && (pagesPort < 0 || originPort != pagesPort)) {
            return "cross-origin WebSocket handshake refused: Origin " + origin + " is not " + host;
        }
        return null;
    }
}
