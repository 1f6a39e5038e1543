/**
 * Alerts: the conditions of hosts that someone should hear about (a host overdue, a metric past its threshold, a
 * Nagios check not OK, a plugin failing), with their lifecycle: acknowledged, silenced, flapping, held back by a
 * dependency or the storm guard. The alerting bundle provides {@link org.heartbeat.server.api.alert.Alerts}; the
 * HTTP API, the dashboard and the command line use it. docs/NOTIFICATIONS.md and docs/THRESHOLD_ALERTING.md say
 * how alerts are raised and routed.
 */
@Export
@Version("1.0.0")
package org.heartbeat.server.api.alert;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
