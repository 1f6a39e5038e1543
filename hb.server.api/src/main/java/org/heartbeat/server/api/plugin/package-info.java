/**
 * Plugin values on the server: the samples and failures clients report, as they arrive
 * ({@link org.heartbeat.server.api.plugin.PluginListener}), and the latest values and history that the history
 * store keeps ({@link org.heartbeat.server.api.plugin.PluginValues}).
 */
@Export
@Version("1.0.0")
package org.heartbeat.server.api.plugin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
