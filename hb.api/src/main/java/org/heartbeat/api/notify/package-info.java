/**
 * The Heartbeat notification API: what a notification channel compiles against, and nothing else.
 *
 * <p>A channel is a {@link org.heartbeat.api.notify.NotificationChannel} service that sends a
 * {@link org.heartbeat.api.notify.Notification} through some service (a push service, SMTP, a chat webhook, SMS)
 * and says how it went with a {@link org.heartbeat.api.notify.Delivery}. {@code hbd} decides who is told what and
 * when, keeps every notification in its outbox until it is delivered or has failed for good, retries with backoff,
 * and enforces each channel's send limit; a channel only sends. {@code docs/NOTIFICATIONS.md} lists the channels
 * Heartbeat ships and how to write one.
 */
@Export
@Version("1.1.0")
package org.heartbeat.api.notify;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
