package org.heartbeat.server.http.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The rules against cross-site requests, used by the {@link AccessGate}: which methods change state, whether a
 * request comes from a page of this server ({@code Origin}, else {@code Referer}, against {@code Host}), where a login
 * may send the browser next, and reading the session cookie. Stateless; any thread.
 */
final class Csrf {
    /** The header that carries a session's CSRF token on a state-changing request. */
    static final String HEADER = "X-CSRF-Token";
    /** The form field that carries it on the logout form. */
    static final String FIELD = "csrf";

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private Csrf() {
    }

    /** Whether a request of this method may change state (POST, PUT, PATCH, DELETE, and anything unknown). */
    static boolean unsafe(String method) {
        return method == null || !SAFE.contains(method.toUpperCase(Locale.ROOT));
    }

    /**
     * Whether the request shows it comes from a page of this server: its {@code Origin}, or without one its
     * {@code Referer}, names the host and port of its {@code Host} header. A request with neither is not.
     */
    static boolean sameOrigin(HttpServletRequest req) {
        String host = req.getHeader("Host");
        if (host == null || host.isBlank()) {
            return false;
        }
        String origin = req.getHeader("Origin");
        if (origin != null) {
            return matches(origin, host);
        }
        String referer = req.getHeader("Referer");
        return referer != null && matches(referer, host);
    }

    /**
     * Whether the request says it comes from another site: an {@code Origin} header (which browsers send and
     * scripts do not) that is not this server's, {@code null} included. Refused on every state-changing request, also
     * without users and with Basic or Bearer.
     */
    static boolean foreignOrigin(HttpServletRequest req) {
        String origin = req.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String host = req.getHeader("Host");
        return host == null || !matches(origin, host);
    }

    /** Whether a URL ({@code Origin} or {@code Referer}) names the authority in a {@code Host} header. */
    static boolean matches(String url, String host) {
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = u.getScheme();
        String h = u.getHost();
        if (scheme == null || h == null || u.getRawUserInfo() != null) {
            return false;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return false;
        }
        int defaultPort = scheme.equals("https") ? 443 : 80;
        int port = u.getPort() < 0 ? defaultPort : u.getPort();
        String expected = host.strip().toLowerCase(Locale.ROOT);
        int colon = expected.lastIndexOf(':');
        String expectedHost = expected;
        int expectedPort = defaultPort;
        if (colon > expected.lastIndexOf(']')) {
            expectedHost = expected.substring(0, colon);
            try {
                expectedPort = Integer.parseInt(expected.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return h.toLowerCase(Locale.ROOT).equals(expectedHost) && port == expectedPort;
    }

    /**
     * Where to send the browser after a login: {@code next} when it is a path on this server (starts with one
     * {@code /}, no scheme, no backslash or control character), else {@code /live}. Never another site.
     */
    static String localPath(String next) {
        if (next == null || next.isEmpty() || next.charAt(0) != '/' || next.startsWith("//")
                || next.startsWith("/login") || next.startsWith("/logout")) {
            return "/live";
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c == '\\' || c < 0x21 || c == 0x7f) {
                return "/live";
            }
        }
        return next;
    }

    /** The value of a cookie in the request's {@code Cookie} headers, or null. */
    static String cookie(HttpServletRequest req, String name) {
        java.util.Enumeration<String> headers = req.getHeaders("Cookie");
        if (headers == null) {
            return null;
        }
        while (headers.hasMoreElements()) {
            for (String part : headers.nextElement().split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
                    String value = part.substring(eq + 1).strip();
                    return value.isEmpty() ? null : value;
                }
            }
        }
        return null;
    }
}
