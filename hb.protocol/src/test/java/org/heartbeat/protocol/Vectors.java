package org.heartbeat.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads docs/protocol-vectors.txt, the file all three protocol implementations check. */
record Vectors(String name, Map<String, List<String>> fields) {

    static final Path FILE = Path.of("..", "docs", "protocol-vectors.txt");

    static List<Vectors> all() {
        List<String> lines;
        try {
            lines = Files.readAllLines(FILE, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Vectors> vectors = new ArrayList<>();
        String name = null;
        Map<String, List<String>> fields = null;
        for (String line : lines) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int sp = line.indexOf(' ');
            String key = sp < 0 ? line : line.substring(0, sp);
            String value = sp < 0 ? "" : line.substring(sp + 1);
            switch (key) {
                case "vector" -> {
                    name = value;
                    fields = new LinkedHashMap<>();
                }
                case "end" -> vectors.add(new Vectors(name, fields));
                default -> fields.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        return vectors;
    }

    String get(String field) {
        List<String> v = fields.get(field);
        return v == null ? null : v.get(0);
    }

    List<String> all(String field) {
        return fields.getOrDefault(field, List.of());
    }

    long number(String field) {
        return Long.parseUnsignedLong(get(field));
    }

    byte[] bytes() {
        return HexFormat.of().parseHex(get("hex"));
    }

    HostKey key() {
        String k = get("key");
        return "-".equals(k) ? null : HostKey.parse(k);
    }

    boolean valid() {
        return "1".equals(get("valid"));
    }

    @Override
    public String toString() {
        return name;
    }
}
