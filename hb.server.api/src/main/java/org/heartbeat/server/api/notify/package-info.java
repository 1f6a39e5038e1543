/**
 * The outbox: notifications on their way to the channels of {@code notification_channels:}, persisted until
 * delivered or failed for good, retried with backoff, held to each channel's send limit. The outbox bundle
 * provides {@link org.heartbeat.server.api.notify.Outbox}; alerting queues into it, the HTTP API and
 * {@code hbd notify} read and test it. docs/NOTIFICATIONS.md, "Delivery".
 */
@Export
@Version("1.0.0")
package org.heartbeat.server.api.notify;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
