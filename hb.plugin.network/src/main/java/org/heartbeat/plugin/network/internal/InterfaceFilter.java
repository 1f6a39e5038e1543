package org.heartbeat.plugin.network.internal;

import org.heartbeat.plugin.support.Names;

/**
 * Which interfaces {@code network_monitor} reports, from its settings (lists of {@link Names}):
 * {@code include_interfaces}, when given, only these, the loopback included when it is named; otherwise all but
 * the loopback. Never those of {@code exclude_interfaces}, which wins over an inclusion.
 */
final class InterfaceFilter {
    static final InterfaceFilter DEFAULT = new InterfaceFilter(null, null);

    private final Names include;
    private final Names exclude;

    /** @throws IllegalArgumentException naming the setting and the entry that is not valid */
    InterfaceFilter(String[] include, String[] exclude) {
        this.include = Names.of("include_interfaces", include);
        this.exclude = Names.of("exclude_interfaces", exclude);
    }

    boolean accepts(String name, boolean loopback) {
        boolean wanted = include.isEmpty() ? !loopback : include.matches(name);
        return wanted && !exclude.matches(name);
    }
}
