package org.heartbeat.server.http.internal;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Pages of long lists (docs/HTTP_API.md, "Conventions"): bodies stay JSON arrays; the query parameter
 * {@code limit} bounds a page, and {@code after} (a key of the list's order, such as a host name) or
 * {@code offset} (for lists newest first) says where it starts. A page that is not the last has a
 * {@code Link: <...>; rel="next"} header. Pure functions, called on HTTP request threads.
 */
final class Paging {
    private Paging() {
    }

    /** A page, and where the next one starts when there is one (the last key shown, or the next offset). */
    record Page<T>(List<T> items, Optional<String> next) {
    }

    /**
     * The items after the one whose key is {@code after} (all when null or empty), at most {@code limit}.
     * {@code sorted} must be in ascending order of its keys ({@link String#compareTo}); the key need not exist.
     */
    static <T> Page<T> after(List<T> sorted, Function<T, String> key, String after, int limit) {
        int from = 0;
        if (after != null && !after.isEmpty()) {
            while (from < sorted.size() && key.apply(sorted.get(from)).compareTo(after) <= 0) {
                from++;
            }
        }
        int to = (int) Math.min(sorted.size(), (long) from + limit);
        List<T> items = sorted.subList(from, to);
        return new Page<>(items, to < sorted.size() && !items.isEmpty()
                ? Optional.of(key.apply(items.get(items.size() - 1))) : Optional.empty());
    }

    /**
     * The items from {@code offset}, at most {@code limit}, of a list that holds up to {@code offset + limit}
     * items and one more when there are more ({@code more}).
     */
    static <T> Page<T> offset(List<T> list, int offset, int limit, boolean more) {
        int from = Math.min(offset, list.size());
        int to = (int) Math.min(list.size(), (long) from + limit);
        return new Page<>(list.subList(from, to), more && to - from == limit
                ? Optional.of(Integer.toString(offset + limit)) : Optional.empty());
    }

    /**
     * The {@code Link} header's value for the next page: the same path and parameters ({@code kept}), with
     * {@code param} set to {@code value}.
     */
    static String link(HttpServletRequest req, String path, String param, String value, List<String> kept) {
        StringBuilder s = new StringBuilder("<").append(ForwardedHeaders.base(req)).append(req.getContextPath())
                .append(path).append('?').append(param)
                .append('=').append(HostsResource.encode(value));
        for (String name : kept) {
            String[] values = req.getParameterValues(name);
            if (values != null) {
                for (String v : values) {
                    s.append('&').append(name).append('=').append(HostsResource.encode(v));
                }
            }
        }
        return s.append(">; rel=\"next\"").toString();
    }
}
