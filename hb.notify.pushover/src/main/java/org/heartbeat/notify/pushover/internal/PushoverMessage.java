package org.heartbeat.notify.pushover.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.heartbeat.api.notify.Notification;
import org.heartbeat.api.notify.Severity;

/**
 * The form fields of one {@code POST /1/messages.json} (pushover.net/api): {@code token}, {@code user},
 * {@code message} (body and link, at most 1024 characters), {@code title} (at most 250), {@code priority},
 * {@code timestamp}, the link again as {@code url}/{@code url_title}, and {@code sound}, {@code device},
 * {@code retry} and {@code expire} where they apply.
 *
 * <p>Severity: the configured priority is used for {@link Severity#CRITICAL}, {@link Severity#WARNING} and
 * {@link Severity#UNKNOWN} (a check that cannot say is worth a look); an
 * {@link Severity#OK} or {@link Severity#INFO} notification goes at {@code min(priority, 0)}, so a recovery never
 * arrives as a high-priority or emergency alert that asks to be acknowledged.
 */
final class PushoverMessage {
    static final int MAX_MESSAGE = 1024;
    static final int MAX_TITLE = 250;
    static final int MAX_URL = 512;
    static final int MAX_URL_TITLE = 100;

    private PushoverMessage() {
    }

    static Map<String, String> form(PushoverSettings s, Notification n) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("token", s.token());
        f.put("user", s.user());
        f.put("message", cut(message(n), MAX_MESSAGE));
        f.put("title", cut(n.title(), MAX_TITLE));
        int priority = priority(s.priority(), n.severity());
        f.put("priority", Integer.toString(priority));
        if (priority == PushoverSettings.EMERGENCY) {
            f.put("retry", Integer.toString(s.retry()));
            f.put("expire", Integer.toString(s.expire()));
        }
        f.put("timestamp", Long.toString(n.time().getEpochSecond()));
        n.link().map(Object::toString).filter(u -> u.length() <= MAX_URL).ifPresent(u -> {
            f.put("url", u);
            f.put("url_title", cut(n.host().map(h -> h + " on the Heartbeat dashboard").orElse("Heartbeat dashboard"),
                    MAX_URL_TITLE));
        });
        if (s.sound() != null) {
            f.put("sound", s.sound());
        }
        if (s.device() != null) {
            f.put("device", s.device());
        }
        return f;
    }

    static int priority(int configured, Severity severity) {
        return switch (severity) {
            case CRITICAL, WARNING, UNKNOWN -> configured;
            default -> Math.min(configured, 0);
        };
    }

    /** Body and link, one per line; the title when there is neither (Pushover requires a message). */
    private static String message(Notification n) {
        StringBuilder m = new StringBuilder(n.body());
        n.link().ifPresent(l -> m.append(m.length() == 0 ? "" : "\n").append(l));
        return m.length() == 0 ? n.title() : m.toString();
    }

    /**
     * At most {@code max} characters, cut the way {@link Notification#text(int)} cuts (at a line or word boundary
     * where one is near, with an ellipsis): by that very method, on a notification holding only this text.
     */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        return Notification.builder().id("cut").event("cut").severity(Severity.INFO).time(Instant.EPOCH)
                .title(text).build().text(max);
    }

    static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
