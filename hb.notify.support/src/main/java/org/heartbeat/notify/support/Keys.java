package org.heartbeat.notify.support;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * Checks of a channel's configuration keys: every mistake is an {@link IllegalArgumentException} whose message
 * starts with the key as the operator writes it ({@code api_url: ...}) and never holds a secret's value. The
 * channel passes the values its typed configuration read.
 */
public final class Keys {
    private Keys() {
    }

    /** The value trimmed; {@code KEY: missing} when it is null or blank. */
    public static String required(String key, String value) {
        String v = optional(value);
        if (v == null) {
            throw new IllegalArgumentException(key + ": missing");
        }
        return v;
    }

    /** The value trimmed; null when it is null or blank. */
    public static String optional(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The number; {@code KEY: must be a whole number} when the configuration holds something else. */
    public static int number(String key, IntSupplier value) {
        try {
            return value.getAsInt();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": must be a whole number");
        }
    }

    /** The {@code max_per_hour} key checked: 0 (no cap) or more. hbd's outbox enforces it, not the channel. */
    public static int maxPerHour(IntSupplier value) {
        int max = number("max_per_hour", value);
        if (max < 0) {
            throw new IllegalArgumentException("max_per_hour: must be 0 (no cap) or more, got " + max);
        }
        return max;
    }

    /**
     * An absolute http or https URL with a host, and without user info, query or fragment, as a base to append paths
     * to: a trailing slash is removed.
     *
     * @param example a URL to show in the message, such as {@code https://api.pushover.net}
     */
    public static URI baseUrl(String key, String value, String example) {
        String v = required(key, value);
        String problem = key + ": must be an http or https URL such as " + example + ", got \"" + v + "\"";
        try {
            URI uri = new URI(v);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(problem);
            }
            String s = uri.toString();
            return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem);
        }
    }
}
