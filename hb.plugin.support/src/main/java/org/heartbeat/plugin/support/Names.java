package org.heartbeat.plugin.support;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of names from one setting: each matches exactly or, ending in {@code *}, every name that starts with
 * what comes before it ({@code veth*}, {@code fuse.*}). A {@code *} anywhere else is refused, since it would
 * match nothing.
 *
 * <p>{@link #ofMountPoints} reads mount points: an entry is compared without a trailing {@code /}
 * ({@code /boot/efi/} is {@code /boot/efi}), and a prefix ending in {@code /} needs at least one more character,
 * so {@code /srv/*} matches {@code /srv/a} and {@code /srv/a/b} (everything below {@code /srv}) but not
 * {@code /srv}, and {@code /*} every mount point but {@code /}.
 *
 * <pre>{@code
 * Names.of("exclude_interfaces", new String[] {"veth*", "docker0"}).matches("veth12")   // true
 * Names.ofMountPoints("include_mounts", new String[] {"/srv/*"}).matches("/srv")         // false
 * }</pre>
 */
public final class Names {
    private final List<String> exact;
    private final List<String> prefixes;
    private final boolean mountPoints;

    private Names(List<String> exact, List<String> prefixes, boolean mountPoints) {
        this.exact = List.copyOf(exact);
        this.prefixes = List.copyOf(prefixes);
        this.mountPoints = mountPoints;
    }

    /**
     * @param setting the setting's key, for messages
     * @param entries the setting's values; null when it is not set
     * @throws IllegalArgumentException naming the setting and the entry when one is empty or has a {@code *}
     *         before its end
     */
    public static Names of(String setting, String[] entries) {
        return parse(setting, entries, false);
    }

    /** Like {@link #of}, for mount points (see the class description). */
    public static Names ofMountPoints(String setting, String[] entries) {
        return parse(setting, entries, true);
    }

    private static Names parse(String setting, String[] entries, boolean mountPoints) {
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
        return new Names(exact, prefixes, mountPoints);
    }

    private static String withoutTrailingSlash(String mountPoint) {
        String m = mountPoint;
        while (m.length() > 1 && m.endsWith("/")) {
            m = m.substring(0, m.length() - 1);
        }
        return m;
    }

    public boolean isEmpty() {
        return exact.isEmpty() && prefixes.isEmpty();
    }

    public boolean matches(String name) {
        return name != null && (exact.contains(name) || prefixes.stream().anyMatch(p -> matchesPrefix(name, p)));
    }

    /** For mount points, {@code /srv/} is everything below {@code /srv}: {@code /} itself is not below {@code /}. */
    private boolean matchesPrefix(String name, String prefix) {
        return name.startsWith(prefix)
                && (!mountPoints || !prefix.endsWith("/") || name.length() > prefix.length());
    }
}
