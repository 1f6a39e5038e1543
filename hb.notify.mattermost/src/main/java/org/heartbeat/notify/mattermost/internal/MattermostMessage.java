package org.heartbeat.notify.mattermost.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.Severity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON body of one incoming-webhook post (developers.mattermost.com, "Incoming webhooks"): {@code text} in
 * Markdown, the severity's emoji and the title in bold on the first line, then the body and the link to the host's
 * page; {@code channel}, {@code username} and {@code icon_url} when configured.
 *
 * <pre>
 * :red_circle: **web1 is overdue**
 * No heartbeat since 08:00:12 UTC (interval 10 s + grace 2 s).
 * https://hb.example.org/hosts/web1
 * </pre>
 */
final class MattermostMessage {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Characters Markdown would read as formatting; escaped with a backslash so host names stay as written. */
    private static final Pattern MARKDOWN = Pattern.compile("[\\\\*_~`\\[\\]|#>]");

    private MattermostMessage() {
    }

    static String json(MattermostSettings s, Notification n) {
        ObjectNode o = JSON.createObjectNode();
        o.put("text", text(n));
        if (s.channel() != null) {
            o.put("channel", s.channel());
        }
        if (s.username() != null) {
            o.put("username", s.username());
        }
        if (s.iconUrl() != null) {
            o.put("icon_url", s.iconUrl());
        }
        return o.toString();
    }

    static String text(Notification n) {
        StringBuilder t = new StringBuilder(emoji(n.severity())).append(" **").append(escape(n.title())).append("**");
        if (!n.body().isEmpty()) {
            t.append('\n').append(escape(n.body()));
        }
        n.link().ifPresent(l -> t.append('\n').append(l));
        return t.toString();
    }

    static String emoji(Severity severity) {
        return switch (severity) {
            case CRITICAL -> ":red_circle:";
            case WARNING -> ":warning:";
            case UNKNOWN -> ":grey_question:";
            case OK -> ":white_check_mark:";
            default -> ":information_source:";
        };
    }

    static String escape(String text) {
        return MARKDOWN.matcher(text).replaceAll(m -> Matcher.quoteReplacement("\\" + m.group()));
    }
}
