package com.example.webhook.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.heartbeat.server.api.event.HostEvent;

/**
 * The webhook's settings, checked: where to post, which event types (empty for all), and how long to wait.
 *
 * <pre>{@code
 * Settings s = Settings.of("https://hooks.example.com/heartbeat", new String[] {"overdue, recovered"}, 5);
 * s.sends(HostEvent.Type.NEW);   // false
 * }</pre>
 */
record Settings(URI url, Set<HostEvent.Type> types, Duration timeout) {
    static final int MAX_TIMEOUT = 30;

    Settings {
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    }

    /**
     * From the configuration's values. {@code types} holds event type words ({@code overdue}, any case), each
     * element possibly a comma-separated list, since a {@code .cfg} file gives one string.
     *
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    static Settings of(String url, String[] types, int timeoutSeconds) {
        if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT) {
            throw new IllegalArgumentException(
                    "timeout: " + timeoutSeconds + " is not between 1 and " + MAX_TIMEOUT + " seconds");
        }
        return new Settings(url(url), types(types), Duration.ofSeconds(timeoutSeconds));
    }

    /** Whether events of this type are posted. */
    boolean sends(HostEvent.Type type) {
        return types.isEmpty() || types.contains(type);
    }

    /**
     * Where events go without path, query or user info, which may hold a token: what the log and
     * {@code /api/status} show.
     */
    String target() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }

    private static URI url(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url: missing; set it to the webhook's http or https URL");
        }
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url: not a URL: " + e.getMessage());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
            throw new IllegalArgumentException("url: \"" + url + "\" is not an http or https URL with a host");
        }
        return u;
    }

    private static Set<HostEvent.Type> types(String[] values) {
        Set<HostEvent.Type> types = EnumSet.noneOf(HostEvent.Type.class);
        for (String value : values == null ? new String[0] : values) {
            for (String word : value.split(",")) {
                if (!word.isBlank()) {
                    types.add(type(word.strip()));
                }
            }
        }
        return types;
    }

    private static HostEvent.Type type(String word) {
        try {
            return HostEvent.Type.valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> known = new ArrayList<>();
            for (HostEvent.Type t : HostEvent.Type.values()) {
                known.add(t.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException(
                    "types: no event type \"" + word + "\" (" + String.join(", ", known) + ")");
        }
    }
}
