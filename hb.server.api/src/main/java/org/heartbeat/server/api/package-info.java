/**
 * The Heartbeat server API: what bundles that extend {@code hbd} build on. {@code hbd}'s core provides these
 * services; a server-side bundle (the HTTP API, the dashboard, alerting, a third party's integration) uses them
 * and imports nothing else of the server.
 *
 * <ul>
 * <li>{@link org.heartbeat.server.api.HostDirectory}: every tracked host, as immutable
 * {@link org.heartbeat.server.api.HostView}s.</li>
 * <li>{@link org.heartbeat.server.api.HostCommands}: commands queued for hosts, carried in the ACKs of their
 * heartbeats; hosts forgotten on request.</li>
 * <li>{@link org.heartbeat.server.api.HostOverrides}: per-host settings changed at run time, kept as overrides.</li>
 * <li>{@link org.heartbeat.server.api.ServerStatus}: the UDP endpoint's counters and how far each event listener
 * is behind.</li>
 * <li>{@link org.heartbeat.server.api.StatusSource}: what an extension adds to {@code GET /api/status}.</li>
 * </ul>
 *
 * Host events and their journal are in {@link org.heartbeat.server.api.event}; plugin samples, latest values and
 * history in {@link org.heartbeat.server.api.plugin}. {@code docs/SERVER_API.md} walks through a bundle built on
 * them.
 */
@Export
@Version("1.1.0")
package org.heartbeat.server.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
