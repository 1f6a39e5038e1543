/**
 * What Heartbeat's own metric plugins and the client share, kept in one place and copied into each bundle that
 * uses it at build time (bnd {@code -conditionalpackage}): a private package of every such bundle, never exported
 * and never deployed as a bundle of its own, so that a plugin still imports {@code org.heartbeat.api} alone.
 *
 * <ul>
 * <li>{@link org.heartbeat.plugin.support.PluginDefaults}: a plugin's default interval and timeout;</li>
 * <li>{@link org.heartbeat.plugin.support.Settings}: the check for settings a plugin does not know;</li>
 * <li>{@link org.heartbeat.plugin.support.Names}: lists of names with a trailing {@code *} wildcard;</li>
 * <li>{@link org.heartbeat.plugin.support.Clock} and {@link org.heartbeat.plugin.support.SampleWindow}: two
 * readings of counters for rates, the first of them over a window long enough to measure.</li>
 * </ul>
 */
package org.heartbeat.plugin.support;
