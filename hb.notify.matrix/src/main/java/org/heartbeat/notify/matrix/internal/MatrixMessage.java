package org.heartbeat.notify.matrix.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.Severity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code m.room.message} event of one notification (spec.matrix.org, client-server API, "m.text"): the plain
 * {@link Notification#text()} as {@code body}, and as {@code formatted_body} the same in HTML
 * ({@code org.matrix.custom.html}), the title in bold and in the severity's colour, the link as a link.
 *
 * <pre>{@code
 * <font color="#c62828" data-mx-color="#c62828"><b>web1 is overdue</b></font><br>No heartbeat since ...<br>
 * <a href="https://hb.example.org/hosts/web1">https://hb.example.org/hosts/web1</a>
 * }</pre>
 */
final class MatrixMessage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MatrixMessage() {
    }

    static String json(Notification n) {
        ObjectNode o = JSON.createObjectNode();
        o.put("msgtype", "m.text");
        o.put("body", n.text());
        o.put("format", "org.matrix.custom.html");
        o.put("formatted_body", html(n));
        return o.toString();
    }

    static String html(Notification n) {
        String title = "<b>" + escape(n.title()) + "</b>";
        String colour = colour(n.severity());
        StringBuilder h = new StringBuilder(colour == null ? title
                : "<font color=\"" + colour + "\" data-mx-color=\"" + colour + "\">" + title + "</font>");
        if (!n.body().isEmpty()) {
            h.append("<br>").append(escape(n.body()).replace("\n", "<br>"));
        }
        n.link().ifPresent(l -> h.append("<br><a href=\"").append(escape(l.toString())).append("\">")
                .append(escape(l.toString())).append("</a>"));
        return h.toString();
    }

    /** The title's colour: red, orange (WARNING and UNKNOWN), green; none for INFO and severities added later. */
    static String colour(Severity severity) {
        return switch (severity) {
            case CRITICAL -> "#c62828";
            case WARNING, UNKNOWN -> "#ef6c00";
            case OK -> "#2e7d32";
            default -> null;
        };
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The transaction id of sending notification {@code id} to {@code roomId}: the same for every try, so the
     * homeserver takes a retry as the same request (spec: "Transaction identifiers"). The room is part of it
     * because some homeservers keep transaction ids per device and not per endpoint.
     */
    static String transactionId(String id, String roomId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(roomId.getBytes(StandardCharsets.UTF_8));
            return "hb-" + id + "-" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** One path segment, percent-encoded ({@code !abc:example.org} becomes {@code %21abc%3Aexample.org}). */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
