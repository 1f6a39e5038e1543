package org.heartbeat.plugin.disk.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of names from one setting: each matches exactly, or, ending in {@code *}, every name that starts with
 * what comes before it, and after a {@code /} at least one more character. So {@code /srv/*} matches
 * {@code /srv/a} and {@code /srv/a/b} (everything below {@code /srv}) but not {@code /srv}, {@code /*} every mount
 * point but {@code /}, {@code /srv*} also {@code /srv} and {@code /srv2}, and {@code fuse.*} {@code fuse.sshfs}. A
 * {@code *} anywhere else is refused, since it would match nothing.
 * Mount points are compared without a trailing {@code /} ({@code /boot/efi/} is {@code /boot/efi}).
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
     * @param mountPoints whether the entries are mount points, whose trailing {@code /} is dropped
     * @throws IllegalArgumentException naming the setting and the entry when one is empty or has a {@code *}
     *         before its end
     */
    static Names of(String setting, String[] entries, boolean mountPoints) {
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
                exact.add(mountPoints ? withoutTrailingSlash(e) : e);
            }
        }
        return new Names(exact, prefixes);
    }

    private static String withoutTrailingSlash(String mountPoint) {
        String m = mountPoint;
        while (m.length() > 1 && m.endsWith("/")) {
            m = m.substring(0, m.length() - 1);
        }
        return m;
    }

    boolean isEmpty() {
        return exact.isEmpty() && prefixes.isEmpty();
    }

    boolean matches(String name) {
        return name != null && (exact.contains(name) || prefixes.stream().anyMatch(p -> matchesPrefix(name, p)));
    }

    /** {@code /srv/} is everything below {@code /srv}: {@code /} itself is not below {@code /}. */
    private static boolean matchesPrefix(String name, String prefix) {
        return name.startsWith(prefix) && (!prefix.endsWith("/") || name.length() > prefix.length());
    }
}
