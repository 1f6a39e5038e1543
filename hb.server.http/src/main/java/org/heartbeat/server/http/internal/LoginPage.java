package org.heartbeat.server.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The login page: a plain form (user, password, and where to go next) posting to {@code /login}, without scripts or
 * anything from elsewhere; its one style sheet is inline and allowed by its hash in the page's
 * Content-Security-Policy. Readable in dark mode and on a phone. Written by the {@link AccessGate}.
 */
final class LoginPage {
    private static final String STYLE = "body{font:16px/1.5 system-ui,sans-serif;max-width:22em;margin:3em auto;"
            + "padding:0 1em;color:#222;background:#fff}"
            + "label{display:block;margin-top:1em}input{font:inherit;width:100%;box-sizing:border-box;padding:.4em;"
            + "border:1px solid #888;border-radius:4px;background:inherit;color:inherit}"
            + "button{font:inherit;margin-top:1.2em;padding:.5em 1.5em;border-radius:4px;border:1px solid #357;"
            + "background:#246;color:#fff;cursor:pointer}"
            + ".problem{border-left:4px solid #c33;padding:.3em .8em;background:#fee;color:#600}"
            + ".note{border-left:4px solid #888;padding:.3em .8em}"
            + "@media (prefers-color-scheme:dark){body{color:#ddd;background:#111}a{color:#8bf}"
            + ".problem{background:#311;color:#fcc}button{background:#38c;border-color:#38c;color:#000}}";
    /** The page's own policy: nothing but its inline style, and forms only to this server. */
    static final String POLICY = "default-src 'none'; style-src '" + hash(STYLE) + "'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private LoginPage() {
    }

    /**
     * Writes the page with this status.
     *
     * @param next where to go after the login (a local path), kept in a hidden field
     * @param user the name to fill in again after a failed attempt, or null
     * @param problem what went wrong, or null
     * @param usersConfigured false: no form, a note that the dashboard is open and read-only
     */
    static void write(HttpServletResponse resp, int status, String next, String user, String problem,
            boolean usersConfigured) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/html; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Content-Security-Policy", POLICY);
        StringBuilder b = new StringBuilder(2048);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta name=\"color-scheme\" content=\"light dark\">")
                .append("<title>Log in - Heartbeat</title><style>").append(STYLE).append("</style></head>\n<body>")
                .append("<main><h1>Heartbeat</h1>\n");
        if (problem != null) {
            b.append("<p class=\"problem\" role=\"alert\" id=\"problem\">").append(Pages.escape(problem))
                    .append("</p>\n");
        }
        if (!usersConfigured) {
            b.append("<p class=\"note\">No users are configured (<code>users:</code> in hbd's configuration), so the "
                    + "dashboard is open to everyone and read-only. There is nothing to log in to.</p>\n"
                    + "<p><a href=\"live\">Hosts</a></p>");
        } else {
            b.append("<form method=\"post\" action=\"login\"")
                    .append(problem == null ? "" : " aria-describedby=\"problem\"").append(">\n")
                    .append("<input type=\"hidden\" name=\"next\" value=\"").append(Pages.escape(next)).append("\">\n")
                    .append("<label for=\"user\">User name</label>")
                    .append("<input id=\"user\" name=\"user\" autocomplete=\"username\" autocapitalize=\"none\" ")
                    .append("spellcheck=\"false\" required")
                    .append(user == null || user.isEmpty() ? " autofocus" : " value=\"" + Pages.escape(user) + "\"")
                    .append(">\n<label for=\"password\">Password</label>")
                    .append("<input id=\"password\" name=\"password\" type=\"password\" ")
                    .append("autocomplete=\"current-password\" required")
                    .append(user == null || user.isEmpty() ? "" : " autofocus")
                    .append(">\n<button type=\"submit\">Log in</button>\n</form>");
        }
        b.append("</main></body></html>\n");
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private static String hash(String style) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(style.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }
}
