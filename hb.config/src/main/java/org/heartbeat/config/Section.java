package org.heartbeat.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A typed view of one YAML mapping. Each getter reads a key, checks its type and range, records a
 * problem naming the key and line when it is wrong, and returns the default so that reading can go on
 * and every problem of a file is reported at once. {@link #finish()} warns about keys nobody asked for.
 */
public final class Section {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

    private final String path;
    private final int line;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();
    private final Problems problems;

    Section(String path, Node node, Problems problems) {
        this.path = path;
        this.problems = problems;
        this.line = node == null ? 0 : line(node);
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode scalar)) {
                    problems.error(path, line(keyNode), "keys must be plain words");
                    continue;
                }
                String key = scalar.getValue();
                if (entries.put(key, tuple) != null) {
                    problems.error(qualify(key), line(keyNode), "appears twice");
                }
            }
        }
    }

    /** The dotted path of this section, empty for the root. */
    public String path() {
        return path;
    }

    /** The line this section starts on, 0 when unknown. */
    public int line() {
        return line;
    }

    /** Whether the key is present (even with an empty value). */
    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The keys present, in file order. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** Marks keys as known without reading them (their value is read elsewhere or not yet used). */
    public void accept(String... keys) {
        Collections.addAll(read, keys);
    }

    public String string(String key, String def) {
        ScalarNode n = scalar(key, "a string");
        if (n == null) {
            return def;
        }
        return n.getValue();
    }

    public boolean bool(String key, boolean def) {
        ScalarNode n = scalar(key, "true or false");
        if (n == null) {
            return def;
        }
        switch (n.getValue().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on":
                return true;
            case "false", "no", "off":
                return false;
            default:
                return wrong(key, n, "true or false", def);
        }
    }

    public int integer(String key, int def, int min, int max) {
        ScalarNode n = scalar(key, "a whole number");
        if (n == null) {
            return def;
        }
        try {
            long v = Long.parseLong(n.getValue().replace("_", ""));
            if (v < min || v > max) {
                problems.error(qualify(key), line(n), "must be between " + min + " and " + max + ", got " + v);
                return def;
            }
            return (int) v;
        } catch (NumberFormatException e) {
            return wrong(key, n, "a whole number", def);
        }
    }

    /**
     * A number such as {@code 80}, {@code 80.5} or {@code 1e9}; null when absent or empty. NaN and infinities are
     * refused.
     */
    public Double number(String key) {
        ScalarNode n = scalar(key, "a number");
        if (n == null) {
            return null;
        }
        String text = n.getValue().replace("_", "");
        if (NUMBER.matcher(text).matches() && Double.isFinite(Double.parseDouble(text))) {
            return Double.parseDouble(text);
        }
        return wrong(key, n, "a number", null);
    }

    public int port(String key, int def) {
        return integer(key, def, 0, 65535);
    }

    /**
     * A duration in seconds: a number ({@code 20}, {@code 0.5}) or a number with a unit ({@code 500ms},
     * {@code 90s}, {@code 5m}, {@code 2h}, {@code 7d}).
     */
    public double seconds(String key, double def, double min, double max) {
        ScalarNode n = scalar(key, "a number of seconds");
        if (n == null) {
            return def;
        }
        Double v = parseSeconds(n.getValue());
        if (v == null) {
            return wrong(key, n, "a number of seconds", def);
        }
        if (v < min || v > max) {
            problems.error(qualify(key), line(n),
                    "must be between " + plain(min) + " and " + plain(max) + " seconds, got " + plain(v));
            return def;
        }
        return v;
    }

    static Double parseSeconds(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> v / 1000;
            case "m" -> v * 60;
            case "h" -> v * 3600;
            case "d" -> v * 86400;
            default -> v;
        };
    }

    /** A file path; a leading {@code ~/} stands for the user's home directory ({@link UserHome}). */
    public Path path(String key, String def) {
        String s = string(key, def);
        return s == null ? null : expandHome(s);
    }

    /** Expands a leading {@code ~} or {@code ~/} to the user's home directory ({@link UserHome}). */
    public static Path expandHome(String s) {
        return UserHome.expand(s);
    }

    /** A list of strings; a single string counts as a list of one. Absent: empty. */
    public List<String> strings(String key) {
        NodeTuple t = use(key);
        if (t == null || isNull(t.getValueNode())) {
            return List.of();
        }
        Node v = t.getValueNode();
        if (v instanceof ScalarNode s) {
            return List.of(s.getValue());
        }
        if (v instanceof SequenceNode seq) {
            List<String> out = new ArrayList<>();
            for (Node item : seq.getValue()) {
                if (item instanceof ScalarNode s) {
                    out.add(s.getValue());
                } else {
                    problems.error(qualify(key), line(item), "expected a list of words");
                }
            }
            return List.copyOf(out);
        }
        problems.error(qualify(key), line(v), "expected a list of words");
        return List.of();
    }

    /** A nested mapping; an absent or empty key gives an empty section. */
    public Section section(String key) {
        NodeTuple t = use(key);
        if (t == null || isNull(t.getValueNode())) {
            return new Section(qualify(key), null, problems);
        }
        Node v = t.getValueNode();
        if (!(v instanceof MappingNode)) {
            problems.error(qualify(key), line(v), "expected a mapping of keys (indented lines of key: value)");
            return new Section(qualify(key), null, problems);
        }
        return new Section(qualify(key), v, problems);
    }

    /** A mapping of names to mappings, such as {@code hosts:}; each value may also be empty. */
    public Map<String, Section> sections(String key) {
        Section outer = section(key);
        Map<String, Section> out = new LinkedHashMap<>();
        for (String name : outer.keys()) {
            out.put(name, outer.section(name));
        }
        return out;
    }

    /**
     * The value of a key as plain Java objects (maps, lists, strings, longs, doubles, booleans), for blocks
     * whose keys belong to someone else, such as a plugin's settings. Absent: null.
     */
    public Object plain(String key) {
        NodeTuple t = use(key);
        return t == null ? null : toPlain(t.getValueNode());
    }

    private Object toPlain(Node node) {
        if (node instanceof MappingNode mapping) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k) {
                    out.put(k.getValue(), toPlain(tuple.getValueNode()));
                }
            }
            return out;
        }
        if (node instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            seq.getValue().forEach(n -> out.add(toPlain(n)));
            return out;
        }
        ScalarNode s = (ScalarNode) node;
        Tag tag = s.getTag();
        try {
            if (Tag.NULL.equals(tag)) {
                return null;
            }
            if (Tag.BOOL.equals(tag)) {
                return Boolean.parseBoolean(s.getValue().toLowerCase(Locale.ROOT))
                        || s.getValue().equalsIgnoreCase("yes") || s.getValue().equalsIgnoreCase("on");
            }
            if (Tag.INT.equals(tag)) {
                return Long.parseLong(s.getValue().replace("_", ""));
            }
            if (Tag.FLOAT.equals(tag)) {
                return Double.parseDouble(s.getValue().replace("_", ""));
            }
        } catch (NumberFormatException e) {
            return s.getValue();
        }
        return s.getValue();
    }

    /** Whether the key's value is a mapping (not read by this). */
    boolean holdsMapping(String key) {
        NodeTuple t = entries.get(key);
        return t != null && t.getValueNode() instanceof MappingNode;
    }

    /** Warns about every key that no getter read and no one {@linkplain #accept accepted}. */
    public void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!read.contains(e.getKey())) {
                String hint = suggestion(e.getKey());
                problems.warning(qualify(e.getKey()), line(e.getValue().getKeyNode()),
                        "unknown key, ignored" + (hint == null ? "" : "; did you mean \"" + hint + "\"?"));
            }
        }
    }

    /** Records an error about a key of this section. */
    public void error(String key, String message) {
        NodeTuple t = entries.get(key);
        problems.error(qualify(key), t == null ? line : line(t.getValueNode()), message);
    }

    /** Records a warning about a key of this section. */
    public void warning(String key, String message) {
        NodeTuple t = entries.get(key);
        problems.warning(qualify(key), t == null ? line : line(t.getValueNode()), message);
    }

    private String suggestion(String unknown) {
        String best = null;
        int bestDistance = 3;
        for (String known : read) {
            int d = distance(unknown.toLowerCase(Locale.ROOT), known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private NodeTuple use(String key) {
        read.add(key);
        return entries.get(key);
    }

    private ScalarNode scalar(String key, String expected) {
        NodeTuple t = use(key);
        if (t == null || isNull(t.getValueNode())) {
            return null;
        }
        Node v = t.getValueNode();
        if (v instanceof ScalarNode s) {
            return s;
        }
        problems.error(qualify(key), line(v), "expected " + expected + ", got a "
                + (v instanceof MappingNode ? "mapping" : "list"));
        return null;
    }

    private <T> T wrong(String key, ScalarNode n, String expected, T def) {
        problems.error(qualify(key), line(n), "expected " + expected + ", got \"" + n.getValue() + "\"");
        return def;
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    private String qualify(String key) {
        if (key.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? key : path + "." + key;
    }

    static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
