/**
 * The Heartbeat plugin API: what a metric plugin compiles against, and nothing else.
 *
 * <p>A plugin is a {@link org.heartbeat.api.MetricSource} service that returns {@link org.heartbeat.api.Metrics},
 * a tree of values; {@link org.heartbeat.api.MetricPath} addresses one value in it. {@code docs/PLUGIN_DEVELOPMENT.md}
 * walks through writing one.
 */
@Export
@Version("1.0.0")
package org.heartbeat.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
