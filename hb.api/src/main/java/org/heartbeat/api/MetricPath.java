package org.heartbeat.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a value sits in a {@link Metrics} tree: the keys (and list indices) from the root to it, written as a
 * JSON Pointer (RFC 6901) in URLs, APIs and configuration. {@code ~} is written {@code ~0} and {@code /} is
 * written {@code ~1} inside a key, so a mount point's keys stay readable and unambiguous:
 *
 * <pre>{@code
 * MetricPath.parse("/partitions/~1srv~1a.b/percent").segments()  // [partitions, /srv/a.b, percent]
 * MetricPath.of("partitions", "/", "percent").toString()         // "/partitions/~1/percent"
 * }</pre>
 *
 * Instances are immutable; they compare by their segments.
 */
public final class MetricPath implements Comparable<MetricPath> {
    /** The root of a tree, the empty pointer {@code ""}. */
    public static final MetricPath ROOT = new MetricPath(List.of());

    private final List<String> segments;

    private MetricPath(List<String> segments) {
        this.segments = segments;
    }

    /**
     * Parses a JSON Pointer.
     *
     * @throws IllegalArgumentException when {@code pointer} is not empty and does not start with {@code /},
     *         or has a {@code ~} not followed by {@code 0} or {@code 1}
     */
    public static MetricPath parse(String pointer) {
        Objects.requireNonNull(pointer, "pointer");
        if (pointer.isEmpty()) {
            return ROOT;
        }
        if (pointer.charAt(0) != '/') {
            throw new IllegalArgumentException("a metric path starts with '/': \"" + pointer + "\"");
        }
        List<String> out = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        for (int i = 1; i <= pointer.length(); i++) {
            if (i == pointer.length() || pointer.charAt(i) == '/') {
                out.add(segment.toString());
                segment.setLength(0);
                continue;
            }
            char c = pointer.charAt(i);
            if (c == '~') {
                char next = i + 1 < pointer.length() ? pointer.charAt(i + 1) : '\0';
                if (next != '0' && next != '1') {
                    throw new IllegalArgumentException("in a metric path, '~' must be followed by 0 or 1: \""
                            + pointer + "\"");
                }
                segment.append(next == '0' ? '~' : '/');
                i++;
            } else {
                segment.append(c);
            }
        }
        return new MetricPath(List.copyOf(out));
    }

    /** The path of these keys, from the root. */
    public static MetricPath of(String... segments) {
        for (String s : segments) {
            Objects.requireNonNull(s, "segment");
        }
        return new MetricPath(List.of(segments));
    }

    /** This path with one more key or index. */
    public MetricPath child(String segment) {
        List<String> longer = new ArrayList<>(segments);
        longer.add(Objects.requireNonNull(segment, "segment"));
        return new MetricPath(List.copyOf(longer));
    }

    /** The keys and list indices from the root, unescaped. */
    public List<String> segments() {
        return segments;
    }

    /** Whether this is the root. */
    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** The JSON Pointer form. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (String s : segments) {
            sb.append('/').append(s.replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricPath other && segments.equals(other.segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }

    @Override
    public int compareTo(MetricPath o) {
        int n = Math.min(segments.size(), o.segments.size());
        for (int i = 0; i < n; i++) {
            int c = segments.get(i).compareTo(o.segments.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(segments.size(), o.segments.size());
    }
}
