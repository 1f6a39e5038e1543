package org.heartbeat.server.http.internal;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

/** Heartbeat's own error pages: HTML for people, the API's JSON under {@code /api/} and for {@code /metrics}. */
final class Pages {
    private Pages() {
    }

    /** Whether a path is the API's (JSON errors) rather than a page's (HTML errors). */
    static boolean isApi(String path) {
        return path != null && (path.startsWith("/api/") || path.equals("/api") || path.equals("/metrics"));
    }

    /** Answers with an error in the form the path calls for. */
    static void error(HttpServletResponse resp, String path, int status, String message) throws IOException {
        error(resp, path, status, message, 0);
    }

    /** Answers with an error in the form the path calls for, with a {@code Retry-After} when it is above 0. */
    static void error(HttpServletResponse resp, String path, int status, String message, int retryAfterSeconds)
            throws IOException {
        error(resp, path, status, message, retryAfterSeconds, null);
    }

    /** As above, with a {@code WWW-Authenticate} challenge when it is not null (a 401). */
    static void error(HttpServletResponse resp, String path, int status, String message, int retryAfterSeconds,
            String challenge) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        if (challenge != null) {
            resp.setHeader("WWW-Authenticate", challenge);
        }
        if (retryAfterSeconds > 0) {
            resp.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
        }
        if (isApi(path)) {
            Api.error(resp, status, message);
            return;
        }
        resp.setStatus(status);
        resp.setContentType("text/html; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.getWriter().print("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + status + " - Heartbeat</title><style>body{font:16px/1.5 system-ui,sans-serif;"
                + "max-width:40em;margin:3em auto;padding:0 1em;color:#222;background:#fff}"
                + "@media (prefers-color-scheme:dark){body{color:#ddd;background:#111}a{color:#8bf}}</style></head>"
                + "<body><h1>" + status + "</h1><p>" + escape(message) + "</p>"
                + "<p><a href=\"" + root(path) + "live\">Hosts</a> &middot; <a href=\"" + root(path)
                + "api/status\">Server status</a></p></body></html>\n");
    }

    /**
     * The way from the page at {@code path} (hbd's own path, from {@code /}) back to hbd's root, as a relative
     * link: {@code ./} for {@code /login}, {@code ../} for {@code /plugins/web1}. Relative links stay right under
     * a reverse proxy's base path, which the page's address includes and {@code path} does not.
     */
    static String root(String path) {
        int depth = 0;
        for (int i = 1; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                depth++;
            }
        }
        return depth == 0 ? "./" : "../".repeat(depth);
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
