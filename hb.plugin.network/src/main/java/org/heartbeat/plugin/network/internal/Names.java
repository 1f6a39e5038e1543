package org.heartbeat.plugin.network.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of interface names from one setting: each matches exactly or, ending in {@code *}, every name that starts
 * with what comes before it ({@code veth*}). A {@code *} anywhere else is refused, since it would match nothing.
 */
final class Names {
    private final List<String> exact;
    private final List<String> prefixes;

    private Names(List<String> exact, List<String> prefixes) {
        this.exact = List.copyOf(exact);
        this.prefixes = List.copyOf(prefixes);
    }

    /**
     * @param setting the setting's key, for messages
     * @param entries the setting's values; null when it is not set
     * @throws IllegalArgumentException naming the setting and the entry when one is empty or has a {@code *}
     *         before its end
     */
    static Names of(String setting, String[] entries) {
        List<String> exact = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String e : entries == null ? new String[0] : entries) {
            if (e == null || e.isBlank()) {
                throw new IllegalArgumentException("setting " + setting + ": an empty entry");
            }
            int star = e.indexOf('*');
            if (star >= 0 && star < e.length() - 1) {
                throw new IllegalArgumentException("setting " + setting + ": \"" + e
                        + "\" has a * before its end; only a trailing * is a wildcard");
            }
            if (star >= 0) {
                prefixes.add(e.substring(0, star));
            } else {
                exact.add(e);
            }
        }
        return new Names(exact, prefixes);
    }

    boolean isEmpty() {
        return exact.isEmpty() && prefixes.isEmpty();
    }

    boolean matches(String name) {
        return name != null && (exact.contains(name) || prefixes.stream().anyMatch(name::startsWith));
    }
}
