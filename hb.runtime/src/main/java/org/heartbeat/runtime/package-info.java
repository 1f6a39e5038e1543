/**
 * Services both Heartbeat daemons offer to their own bundles ({@link org.heartbeat.runtime.LogOutput}), and what
 * the launcher and the bundles tell each other ({@link org.heartbeat.runtime.Launch}).
 * Not part of the plugin API.
 */
@Export
@Version("0.2.0")
package org.heartbeat.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
