package org.heartbeat.server.http.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The audit log: one line at INFO on the logger {@value #LOGGER} for each thing a person did through the HTTP API
 * (log in and out, acknowledge, silence, lift a silence, retry a notification), with who, from which address, what
 * and on what: {@code user=alice address=192.0.2.7 action=silence target="web1" detail="2h: maintenance"}. Values
 * that come from requests are quoted with their control characters escaped, so a line cannot be forged. Never
 * passwords, tokens or session ids. docs/USERS.md, "Audit log".
 *
 * <p>Called by the resources of this bundle on the HTTP threads, after the action succeeded; thread-safe (the OSGi
 * log is).
 */
@Component(service = Audit.class)
public final class Audit {
    static final String LOGGER = "audit";

    private final Logger log;

    @Activate
    public Audit(@Reference LoggerFactory logs) {
        this(logs.getLogger(LOGGER));
    }

    Audit(Logger log) {
        this.log = log;
    }

    /** Records an action of the request's user ({@code anonymous} without one). */
    void record(HttpServletRequest req, String action, String target, String detail) {
        record(req.getRemoteUser() == null ? "anonymous" : req.getRemoteUser(), req.getRemoteAddr(), action, target,
                detail);
    }

    void record(String user, String address, String action, String target, String detail) {
        StringBuilder b = new StringBuilder(96).append("user=").append(quote(user)).append(" address=")
                .append(quote(address)).append(" action=").append(action).append(" target=")
                .append(quote(target == null ? "*" : target));
        if (detail != null && !detail.isEmpty()) {
            b.append(" detail=").append(quote(detail));
        }
        log.info("{}", b.toString());
    }

    /** A value as is when it is plain, else in double quotes with quotes, backslashes and controls escaped. */
    static String quote(String s) {
        if (s == null) {
            return "-";
        }
        boolean plain = !s.isEmpty();
        for (int i = 0; i < s.length() && plain; i++) {
            char c = s.charAt(i);
            plain = c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '=';
        }
        if (plain) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
