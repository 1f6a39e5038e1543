package org.heartbeat.server.http.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path template below a resource's whiteboard pattern, such as {@code {host}/plugins/{plugin}}: the whiteboard
 * picks the resource, a route picks the operation and names its parameters. Paths are matched as the client sent
 * them, split at {@code /} and then percent-decoded segment by segment, so that any valid host name can be named in
 * a URL: {@code %2E} is a host called {@code .}, {@code %2F} a {@code /} inside one segment, {@code %25} a
 * {@code %}.
 *
 * <pre>{@code
 * Route HISTORY = Route.of("{host}/plugins/{plugin}/history");
 * HISTORY.match(List.of("web1", "plugins", "cpu_monitor", "history"))  // {host=web1, plugin=cpu_monitor}
 * }</pre>
 */
final class Route {
    private final String template;
    private final String[] parts;

    private Route(String template) {
        this.template = template;
        this.parts = template.isEmpty() ? new String[0] : template.split("/", -1);
    }

    static Route of(String template) {
        return new Route(template);
    }

    /** The parameters, by name, when the segments fit this route. */
    Optional<Map<String, String>> match(List<String> segments) {
        if (segments.size() != parts.length) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            String s = segments.get(i);
            if (p.startsWith("{") && p.endsWith("}")) {
                if (s.isEmpty()) {
                    return Optional.empty();
                }
                params.put(p.substring(1, p.length() - 1), s);
            } else if (!p.equals(s)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    /**
     * The decoded segments of a raw request path below {@code prefix}: {@code /api/hosts/web1/plugins} below
     * {@code /api/hosts} is {@code [web1, plugins]}; the prefix itself, with or without a trailing slash, is none.
     *
     * @throws IllegalArgumentException when the path is not below the prefix or holds a bad percent-encoding
     */
    static List<String> segments(String rawPath, String prefix) {
        if (!rawPath.startsWith(prefix)) {
            throw new IllegalArgumentException("not below " + prefix + ": " + rawPath);
        }
        String rest = rawPath.substring(prefix.length());
        if (rest.isEmpty() || rest.equals("/")) {
            return List.of();
        }
        if (rest.charAt(0) != '/') {
            throw new IllegalArgumentException("not below " + prefix + ": " + rawPath);
        }
        List<String> out = new ArrayList<>();
        for (String raw : rest.substring(1).split("/", -1)) {
            out.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public String toString() {
        return template;
    }
}
