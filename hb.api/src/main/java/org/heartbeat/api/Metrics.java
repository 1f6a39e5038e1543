package org.heartbeat.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One sample of a plugin: a tree of values whose root is a map with string keys. Values are 64-bit integers
 * ({@link Long}), finite numbers ({@link Double}), booleans, strings, lists of values and maps of values,
 * nested at most {@value #MAX_DEPTH} deep. This is exactly what the wire protocol carries
 * ({@code docs/PROTOCOL.md}, section 6).
 *
 * <pre>{@code
 * Metrics m = Metrics.builder()
 *         .put("cpu_percent", 12.5)
 *         .list("per_cpu_percent", 10.0, 15.0)
 *         .put("cores", 2)
 *         .map("partitions", p -> p.map("/", root -> root.put("percent", 41.5).put("total", 63350468608L)))
 *         .build();
 * m.number(MetricPath.parse("/partitions/~1/percent"))   // Optional[41.5]
 * }</pre>
 *
 * Instances are immutable and thread-safe; {@link #asMap()} returns unmodifiable maps and lists.
 */
public final class Metrics {
    /** The deepest nesting of maps and lists; the root map is depth 1. */
    public static final int MAX_DEPTH = 16;

    /** A sample without values. */
    public static final Metrics EMPTY = new Metrics(Map.of());

    private final Map<String, Object> tree;

    private Metrics(Map<String, Object> tree) {
        this.tree = tree;
    }

    /** A builder for a new sample. */
    public static Builder builder() {
        return new Builder(1);
    }

    /**
     * A sample of this tree of plain values ({@link Long}, {@link Integer}, {@link Double}, {@link Float},
     * {@link Boolean}, {@link String}, {@link List}, {@link Map} with string keys), copied.
     *
     * @throws IllegalArgumentException naming the path of the first value that does not belong in a sample:
     *         a non-finite number, null, an unsupported type, an empty key, or nesting too deep
     */
    public static Metrics of(Map<String, ?> tree) {
        return new Metrics(copyMap(tree, MetricPath.ROOT, 1));
    }

    private static Map<String, Object> copyMap(Map<?, ?> map, MetricPath path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("value at \"" + path + "\" is nested deeper than " + MAX_DEPTH);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key) || key.isEmpty()) {
                throw new IllegalArgumentException("map at \"" + path + "\" has a key that is not a non-empty string: "
                        + e.getKey());
            }
            out.put(key, copy(e.getValue(), path.child(key), depth));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object copy(Object v, MetricPath path, int depth) {
        if (v instanceof Long || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("value at \"" + path + "\" is " + d
                        + "; leave out a value that cannot be measured");
            }
            return d;
        }
        if (v instanceof List<?> list) {
            if (depth + 1 > MAX_DEPTH) {
                throw new IllegalArgumentException("value at \"" + path + "\" is nested deeper than " + MAX_DEPTH);
            }
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(copy(list.get(i), path.child(Integer.toString(i)), depth + 1));
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Map<?, ?> map) {
            return copyMap(map, path, depth + 1);
        }
        throw new IllegalArgumentException("value at \"" + path + "\" has unsupported type "
                + (v == null ? "null (leave the key out instead)" : v.getClass().getName()));
    }

    /** The tree as unmodifiable plain Java values, keys in the order they were put. */
    public Map<String, Object> asMap() {
        return tree;
    }

    /** Whether there are no values. */
    public boolean isEmpty() {
        return tree.isEmpty();
    }

    /** The value at {@code path}: a scalar, an unmodifiable list or map; empty when there is none. */
    public Optional<Object> get(MetricPath path) {
        Object node = tree;
        for (String segment : path.segments()) {
            if (node instanceof Map<?, ?> map) {
                node = map.get(segment);
            } else if (node instanceof List<?> list && segment.matches("0|[1-9][0-9]{0,8}")
                    && Integer.parseInt(segment) < list.size()) {
                node = list.get(Integer.parseInt(segment));
            } else {
                return Optional.empty();
            }
            if (node == null) {
                return Optional.empty();
            }
        }
        return Optional.of(node);
    }

    /** The number at {@code path}, integers included; empty when there is none or it is not a number. */
    public Optional<Double> number(MetricPath path) {
        return get(path).filter(Number.class::isInstance).map(v -> ((Number) v).doubleValue());
    }

    /**
     * Every scalar of the tree with its path, in tree order: what a time series store or an exporter keeps.
     * List elements appear under their index.
     */
    public Map<MetricPath, Object> leaves() {
        Map<MetricPath, Object> out = new LinkedHashMap<>();
        collect(MetricPath.ROOT, tree, out);
        return Collections.unmodifiableMap(out);
    }

    private static void collect(MetricPath path, Object node, Map<MetricPath, Object> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collect(path.child((String) k), v, out));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collect(path.child(Integer.toString(i)), list.get(i), out);
            }
        } else {
            out.put(path, node);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metrics other && tree.equals(other.tree);
    }

    @Override
    public int hashCode() {
        return tree.hashCode();
    }

    @Override
    public String toString() {
        return "Metrics" + tree;
    }

    /**
     * Builds a {@link Metrics} tree. A value that cannot be measured, a NaN or infinite number, a null string
     * or a list holding such a number, is left out: its key is simply absent from the sample. Putting a key
     * twice keeps the last value, in the first one's place. Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final int depth;

        private Builder(int depth) {
            this.depth = depth;
        }

        public Builder put(String key, double value) {
            return Double.isFinite(value) ? set(key, value) : this;
        }

        public Builder put(String key, long value) {
            return set(key, value);
        }

        public Builder put(String key, boolean value) {
            return set(key, value);
        }

        public Builder put(String key, String value) {
            return value == null ? this : set(key, value);
        }

        /** A nested map, filled by {@code fill}; left out when {@code fill} puts nothing in it. */
        public Builder map(String key, Consumer<Builder> fill) {
            if (depth + 1 > MAX_DEPTH) {
                throw new IllegalArgumentException("map \"" + key + "\" would be nested deeper than " + MAX_DEPTH);
            }
            Builder nested = new Builder(depth + 1);
            fill.accept(nested);
            // a copy: the nested builder may outlive this call, and a built sample must not change
            return nested.values.isEmpty() ? this
                    : set(key, Collections.unmodifiableMap(new LinkedHashMap<>(nested.values)));
        }

        /** A nested sample. */
        public Builder put(String key, Metrics nested) {
            return set(key, Metrics.copyMap(nested.tree, MetricPath.of(key), depth + 1));
        }

        /** A list of numbers; left out whole when one of them cannot be measured, so indices stay true. */
        public Builder list(String key, double... numbers) {
            checkListDepth(key);
            List<Object> l = new ArrayList<>(numbers.length);
            for (double d : numbers) {
                if (!Double.isFinite(d)) {
                    return this;
                }
                l.add(d);
            }
            return set(key, Collections.unmodifiableList(l));
        }

        /** A list of integers. */
        public Builder list(String key, long... numbers) {
            checkListDepth(key);
            List<Object> l = new ArrayList<>(numbers.length);
            for (long n : numbers) {
                l.add(n);
            }
            return set(key, Collections.unmodifiableList(l));
        }

        /** A list of plain values, checked like {@link Metrics#of}. */
        public Builder list(String key, List<?> elements) {
            return set(key, Metrics.copy(elements, MetricPath.of(key), depth));
        }

        private void checkListDepth(String key) {
            if (depth + 1 > MAX_DEPTH) {
                throw new IllegalArgumentException("list \"" + key + "\" would be nested deeper than " + MAX_DEPTH);
            }
        }

        private Builder set(String key, Object value) {
            if (Objects.requireNonNull(key, "key").isEmpty()) {
                throw new IllegalArgumentException("a metric key must not be empty");
            }
            values.put(key, value);
            return this;
        }

        public Metrics build() {
            return new Metrics(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
        }
    }
}
